"""Plausible random campaign fields for the simulator, valid or deliberately broken."""

import random
from datetime import date, timedelta

from app.platforms.megaphone.records import CAMPAIGN_STATUSES

_THEMES = ("Spring", "Summer", "Autumn", "Winter", "Holiday", "Back to School", "Black Friday",
           "New Year", "Launch", "Brand", "Weekend", "Anniversary")
_PRODUCTS = ("Coffee", "Sneakers", "Podcast Hosting", "Meal Kits", "Mattress", "VPN", "Savings",
             "Language App", "Razors", "Pet Food", "Insurance", "Headphones", "Bikes", "Tea")
_KINDS = ("Promo", "Campaign", "Sale", "Awareness Push", "Giveaway", "Sponsorship", "Flight")
_BRANDS = ("Acme", "Northwind", "Blue Harbor", "Juniper", "Copperline", "Silverleaf", "Redwood",
           "Brightside", "Harbor & Main", "Pinecrest", "Lumen", "Tidewater", "Fox & Finch")
_INDUSTRIES = ("Coffee", "Outfitters", "Bank", "Foods", "Labs", "Audio", "Pet Co.", "Insurance",
               "Travel", "Fitness", "Books", "Mobile")


def random_fields(rng: random.Random) -> dict:
    """Valid writable fields in the platform's JSON shape."""
    start = date.today() + timedelta(days=rng.randint(-365, 120))
    end = None if rng.random() < 0.2 else start + timedelta(days=rng.randint(0, 120))
    return {
        "title": random_title(rng),
        "advertiserName": f"{rng.choice(_BRANDS)} {rng.choice(_INDUSTRIES)}",
        "startDate": start.isoformat(),
        "endDate": end.isoformat() if end else None,
        "status": rng.choice(CAMPAIGN_STATUSES),
        "budget": random_budget(rng),
    }


def broken_fields(rng: random.Random, index: int) -> dict:
    """Fields breaking one contract rule, a different rule for consecutive indexes."""
    fields = random_fields(rng)
    rule = index % 6
    if rule == 0:
        del fields["title"]
    elif rule == 1:
        fields["startDate"] = "2026-02-30"
    elif rule == 2:
        fields["status"] = "archived"
    elif rule == 3:
        fields["budget"] = "-25.00"
    elif rule == 4:
        fields["endDate"] = (date.fromisoformat(fields["startDate"]) - timedelta(days=3)).isoformat()
    else:
        fields["advertiserName"] = ""
    return fields


def changed_fields(rng: random.Random) -> dict:
    """A valid edit someone might make on the platform: new title, status and budget."""
    return {"title": random_title(rng), "status": rng.choice(CAMPAIGN_STATUSES), "budget": random_budget(rng)}


def random_title(rng: random.Random) -> str:
    """A campaign title like "Spring Coffee Promo"."""
    return f"{rng.choice(_THEMES)} {rng.choice(_PRODUCTS)} {rng.choice(_KINDS)}"


def random_budget(rng: random.Random) -> str | None:
    """A budget string with exactly 2 decimals, or None for about one campaign in seven."""
    if rng.random() < 0.15:
        return None
    cents = rng.randint(10_000, 5_000_000)
    return f"{cents // 100}.{cents % 100:02d}"
