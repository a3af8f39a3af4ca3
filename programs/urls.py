from programs.urls_content import urlpatterns as content_urls
from programs.urls_directory import urlpatterns as directory_urls

app_name = "programs"
urlpatterns = [*directory_urls, *content_urls]
