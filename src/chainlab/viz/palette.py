"""The Okabe-Ito colour-blind-safe palette that every chart and drawing of the course uses.

Okabe & Ito, "Color Universal Design" (2002/2008, https://jfly.uni-koeln.de/color/): eight colours that
people with the common forms of colour blindness can tell apart.
"""

PALETTE = {
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
}
# The order in which charts colour their groups.
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "purple", "sky_blue", "yellow", "black")]
