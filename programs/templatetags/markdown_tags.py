from django import template

from programs import markdown as markdown_module

register = template.Library()


@register.filter
def markdown(text):
    """Curator Markdown as sanitised HTML: {{ entry.answer|markdown }}."""
    return markdown_module.render(text)
