"""Word lists for invented names and texts; every entry here was made up for Tenure."""

NAME_STEMS = (
    "Amber", "Anvil", "Aster", "Basalt", "Beacon", "Birch", "Bluff", "Bramble",
    "Brook", "Cairn", "Cedar", "Cinder", "Clover", "Cobalt", "Comet", "Copper",
    "Coral", "Crane", "Dune", "Ember", "Fable", "Falcon", "Fern", "Fjord",
    "Flint", "Gale", "Garnet", "Glade", "Granite", "Harbor", "Hazel", "Heron",
    "Hollow", "Indigo", "Iris", "Jasper", "Juniper", "Kestrel", "Lantern",
    "Larch", "Linden", "Lumen", "Maple", "Marble", "Meadow", "Merlin", "Mesa",
    "Nimbus", "North", "Oak", "Onyx", "Orchid", "Osprey", "Pebble", "Pine",
    "Prism", "Quarry", "Quill", "Raven", "Reed", "Ridge", "Rowan", "Saffron",
    "Sable", "Sage", "Slate", "Sorrel", "Spruce", "Summit", "Tamarack", "Thistle",
    "Timber", "Tundra", "Umber", "Vale", "Vesper", "Willow", "Wren", "Yarrow",
    "Zephyr",
)  # fmt: skip

NAME_TAILS = (
    "Analytics", "Bank", "Bio", "Brands", "Capital", "Clinics", "Cloud",
    "Collective", "Dynamics", "Energy", "Foods", "Freight", "Games", "Goods",
    "Group", "Health", "Holdings", "Industries", "Insurance", "Labs", "Legal",
    "Logistics", "Media", "Metrics", "Mobility", "Networks", "Outfitters",
    "Partners", "Pay", "Robotics", "Security", "Software", "Studios", "Systems",
    "Technologies", "Telecom", "Travel", "Ventures", "Works",
)  # fmt: skip

LEGAL_FORMS = ("", "", "", " Inc.", " Ltd", " GmbH", " LLC", " Co.", " AG", " BV")

INDUSTRIES = (
    "Software", "Financial services", "Healthcare", "Retail", "Manufacturing",
    "Logistics", "Education", "Media", "Professional services", "Real estate",
    "Hospitality", "Energy", "Non-profit", "Telecommunications", "Insurance",
)  # fmt: skip

# ISO 3166-1 alpha-2 codes with a rough share of a US-led B2B customer base.
COUNTRIES = (
    ("US", 40), ("GB", 10), ("DE", 8), ("CA", 6), ("FR", 5), ("NL", 4),
    ("AU", 4), ("SE", 3), ("ES", 3), ("IE", 3), ("CH", 2), ("DK", 2),
    ("BR", 2), ("IN", 2), ("JP", 2), ("SG", 2), ("NZ", 1), ("PL", 1),
)  # fmt: skip

FIRST_NAMES = (
    "Ada", "Alvar", "Amara", "Anouk", "Arlo", "Aurelio", "Beatrix", "Bram",
    "Calla", "Cassius", "Dalia", "Dorian", "Elio", "Elska", "Emrys", "Fenna",
    "Florin", "Gaia", "Gideon", "Greta", "Hale", "Idris", "Ilse", "Ines",
    "Jarek", "Joss", "Kaia", "Kian", "Leona", "Linnea", "Lorcan", "Mabel",
    "Marek", "Mira", "Nell", "Niko", "Odessa", "Orin", "Pia", "Quentin",
    "Rafe", "Rhea", "Roisin", "Saoirse", "Soren", "Tamsin", "Teodor", "Ula",
    "Vesna", "Wilder", "Xanthe", "Yannick", "Yara", "Zeno", "Zofia", "Tobin",
)  # fmt: skip

LAST_NAMES = (
    "Abernath", "Ashgrove", "Bellweather", "Blackfen", "Brightwater",
    "Calloway", "Coldbrook", "Crestfall", "Dunmore", "Eastwick", "Elderby",
    "Fairholt", "Farrowdale", "Foxley", "Galloway", "Greenhithe", "Hartwell",
    "Hollingsby", "Ivesdale", "Kettering", "Kingsmere", "Larkspur", "Lindqvast",
    "Marchbank", "Mosswood", "Northcote", "Oakhurst", "Pellworth", "Quenby",
    "Ravenscar", "Redmayne", "Rookwood", "Saltmarsh", "Stonebridge",
    "Thornbury", "Underhill", "Valemont", "Westerby", "Whitlock", "Wyndham",
)  # fmt: skip

CONTACT_ROLES = (
    "executive sponsor", "admin", "champion", "end user", "end user",
    "end user", "billing", "analyst", "end user", "team lead",
)  # fmt: skip

FEATURES = (
    "report_viewed", "dashboard_created", "export_run", "integration_synced",
    "invite_sent", "workflow_edited", "search_run", "comment_added",
)  # fmt: skip

CANCELLATION_REASONS = (
    ("too_expensive", "The price no longer fits our budget for next year."),
    ("missing_features", "We need deeper reporting than the product offers."),
    ("switched_competitor", "We moved to a tool our parent company uses."),
    ("low_usage", "The team stopped using it after our champion left."),
    ("business_closed", "We are winding down this line of business."),
    ("budget_cuts", "All non-essential tools were cut this quarter."),
    ("poor_support", "Support answers took too long for our needs."),
    ("merged", "We merged with another company and consolidated tools."),
)  # fmt: skip

PROMOTER_COMMENTS = (
    "Saves our team hours every week.",
    "Great product and a responsive CSM.",
    "The dashboards are exactly what our leadership wanted.",
    "Onboarding was smooth and quick.",
)
PASSIVE_COMMENTS = (
    "Works well, but reporting could be more flexible.",
    "Good value, a few rough edges in the exports.",
    "Solid, though we only use part of it.",
)
DETRACTOR_COMMENTS = (
    "Too expensive for what we use.",
    "The integration keeps failing for us.",
    "Hard to get the team to adopt it.",
    "Support took days to answer a blocking issue.",
)

CSAT_COMMENTS = (
    "Quick and friendly answer.",
    "Solved on the first reply.",
    "Took a while but got there.",
    "Still not fully fixed.",
)

KICKOFF_NOTE = "Kickoff meeting: agreed goals, timeline and the admin contact."
RISK_NOTE = "Risk call: usage has dropped and the sponsor is reviewing tools."
CHURN_NOTE = "Account told us they will not continue; recorded the reason."

NOTE_TEXTS: dict[str, tuple[str, ...]] = {
    "call": (
        "Check-in call: usage steady, walked through new reporting features.",
        "Call with the champion: planning a rollout to a second team.",
        "Quarterly call: reviewed goals, no open blockers.",
        "Call about seat count ahead of the budget cycle.",
    ),
    "meeting": (
        "Business review: shared usage trends and the roadmap.",
        "Executive sponsor meeting: confirmed priorities for next quarter.",
        "Training session for new team members.",
    ),
    "email": (
        "Sent the usage summary and offered a training slot.",
        "Followed up on the open support ticket.",
    ),
}
