"""North American area-code overlays: codes that serve the same place, as NANPA assigned them.

Each group lists the codes of one overlay complex, oldest first. A user whose cell is in one
of them is as local with a number in any other (e.g. Austin's 512 and 737).
"""

OVERLAY_GROUPS: tuple[tuple[str, ...], ...] = (
    # Alabama
    ("205", "659"), ("256", "938"),
    # Arkansas
    ("870", "327"),
    # California
    ("209", "350"), ("213", "323"), ("310", "424"), ("408", "669"), ("415", "628"), ("442", "760"),
    ("510", "341"), ("714", "657"), ("805", "820"), ("818", "747"), ("909", "840"),
    ("916", "279"),
    # Colorado
    ("303", "720", "983"), ("970", "748"),
    # Connecticut
    ("203", "475"), ("860", "959"),
    # District of Columbia
    ("202", "771"),
    # Florida
    ("305", "786", "645"), ("407", "321", "689"), ("754", "954"), ("813", "656"), ("850", "448"),
    # Georgia
    ("404", "678", "770", "470", "943"), ("706", "762"),
    # Idaho
    ("208", "986"),
    # Illinois
    ("217", "447"), ("312", "773", "872"), ("618", "730"), ("630", "331"), ("708", "464"), ("815", "779"),
    ("847", "224"),
    # Indiana
    ("317", "463"), ("812", "930"),
    # Kentucky
    ("270", "364"),
    # Maryland
    ("301", "240", "227"), ("410", "443", "667"),
    # Massachusetts
    ("508", "774"), ("617", "857"), ("781", "339"), ("978", "351"),
    # Michigan
    ("248", "947"),
    # Mississippi
    ("601", "769"),
    # Missouri
    ("314", "557"), ("573", "235"), ("816", "975"),
    # Nebraska
    ("402", "531"),
    # Nevada
    ("702", "725"),
    # New Jersey
    ("201", "551"), ("609", "640"), ("732", "848"), ("973", "862"),
    # New York
    ("212", "646", "332", "917"), ("718", "347", "929", "917"), ("315", "680"), ("516", "363"),
    ("518", "838"), ("631", "934"), ("845", "329"),
    # North Carolina
    ("336", "743"), ("704", "980"), ("910", "472"), ("919", "984"),
    # Ohio
    ("330", "234"), ("419", "567"), ("440", "436"), ("614", "380"), ("740", "220"), ("937", "326"),
    # Oklahoma
    ("405", "572"), ("918", "539"),
    # Oregon
    ("503", "971"), ("541", "458"),
    # Pennsylvania
    ("215", "267", "445"), ("412", "878"), ("570", "272"), ("610", "484", "835"), ("717", "223"),
    ("724", "878"), ("814", "582"),
    # South Carolina
    ("803", "839"), ("843", "854"),
    # Tennessee
    ("615", "629"),
    # Texas
    ("210", "726"), ("214", "469", "972", "945"), ("713", "281", "832", "346"), ("512", "737"),
    ("817", "682"), ("903", "430"),
    # Utah
    ("801", "385"),
    # Virginia
    ("703", "571"), ("757", "948"), ("804", "686"),
    # Washington
    ("360", "564"),
    # West Virginia
    ("304", "681"),
    # Wisconsin
    ("608", "353"), ("715", "534"), ("920", "274"),
)


def overlays_of(area_code: str) -> tuple[str, ...]:
    """The other codes overlaying `area_code`'s area, in NANPA's order; none if it has no overlay."""
    found: list[str] = []
    for group in OVERLAY_GROUPS:
        if area_code in group:
            found.extend(code for code in group if code != area_code and code not in found)
    return tuple(found)
