"""Which email addresses may speak for a program: one at the domain of its website, or at a
parent of that domain (the hospital's or the university's), never at a public suffix or a
webmail provider where anyone can get an address."""

import ipaddress
from urllib.parse import urlsplit

# Second-level names under a country code that are public suffixes ("co.uk", "gov.au").
PUBLIC_SECOND_LEVEL = {"ac", "co", "com", "edu", "gov", "net", "nhs", "org"}
# Providers that hand an address to anyone: a website there proves nothing about its mail.
WEBMAIL = {
    "aol.com",
    "gmail.com",
    "gmx.com",
    "googlemail.com",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mail.com",
    "me.com",
    "outlook.com",
    "proton.me",
    "protonmail.com",
    "yahoo.com",
    "yandex.com",
    "zoho.com",
}


def website_host(website: str) -> str:
    """The host of a website address, lower case, without "www."."""
    host = urlsplit(website if "//" in website else f"//{website}").hostname or ""
    return host.rstrip(".").lower().removeprefix("www.")


def accepted_domains(website: str) -> list[str]:
    """The domains an address may be at to speak for the program with this website, most
    specific first: its host and each parent above it, e.g. ``im.med.example.edu``,
    ``med.example.edu``, ``example.edu``. Empty when there is no website (or its host is an
    IP address), so the domain cannot be verified."""
    host = website_host(website)
    try:
        ipaddress.ip_address(host)
        return []
    except ValueError:
        pass
    labels = host.split(".")
    domains = []
    for start in range(len(labels) - 1):
        domain = ".".join(labels[start:])
        if _is_public_suffix(domain):
            break
        domains.append(domain)
    return [domain for domain in domains if domain not in WEBMAIL]


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].rstrip(".").lower()


def speaks_for(email: str, website: str) -> bool:
    """True when the address is at one of the website's accepted domains, or below one."""
    domain = email_domain(email)
    return any(
        domain == accepted or domain.endswith(f".{accepted}")
        for accepted in accepted_domains(website)
    )


def _is_public_suffix(domain: str) -> bool:
    labels = domain.split(".")
    if len(labels) < 2:
        return True
    top, second = labels[-1], labels[-2]
    return len(labels) == 2 and len(top) == 2 and second in PUBLIC_SECOND_LEVEL
