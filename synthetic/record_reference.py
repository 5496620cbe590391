"""Fixed lists the synthetic engagement record is drawn from: officers, subjects, groups, CSSC sectors
and hubs, survey questions, and the people and firms nobody else has heard of.

Everything here is fictional except the public names: the City's priority groups, CSSC's regional
hubs and sector names of the kind CSSC uses, and public bodies already named in reference.py.
"""

from __future__ import annotations

# Officers who keep each directorate's diary, as they sign entries.
OFFICERS: dict[str, tuple[str, ...]] = {
    "Economic Crime": ("DC Sarah Hughes", "DS Imran Amin", "DC Tom Fenwick", "Fraud Analyst K. Doyle"),
    "Counter Terrorism": ("PC Ruth Okafor (CTSA)", "DS Mark Bellamy", "PC Ali Rahman", "Insp. Claire Morton"),
    "Neighbourhood Policing": ("PC Adams", "PC Okoro", "PCSO Lewis", "PS Grant", "PCSO Patel"),
    "Roads Policing": ("PS Dave Kirby", "PC Jen Walsh", "Traffic Management Unit"),
    "Cyber": ("DC Priya Nair", "Cyber Griffin team", "DS Owen Price"),
    "Partnerships": ("Insp. Helen Ward", "Partnership Officer J. Mensah", "Supt. Paul Carver"),
}

# The contract's engagement types (section 8) and how often each is logged.
ENGAGEMENT_TYPES: tuple[tuple[str, int], ...] = (
    ("meeting", 30), ("call", 25), ("briefing", 15), ("visit", 15), ("email", 8), ("event", 4),
    ("newsletter", 2), ("other", 1),
)

# What an engagement on an issue is about.
SUBJECTS: dict[str, tuple[str, ...]] = {
    "fraud": ("Invoice fraud follow-up", "Mandate fraud alert", "Fraud awareness briefing",
              "Action Fraud referral", "Insider fraud concerns"),
    "cyber_crime": ("Cyber Griffin baseline assessment", "Phishing incident follow-up", "Ransomware exercise",
                    "Business email compromise"),
    "terrorism": ("ACT Awareness session", "Project Servator briefing", "Hostile vehicle mitigation survey",
                  "Run Hide Tell training", "Protective security advice"),
    "security": ("Site security review", "CCTV coverage review", "Security survey of premises",
                 "Access control concerns"),
    "protest": ("Protest planning: Bank junction", "Demonstration route briefing", "Protest impact call",
                "Planned march past the premises"),
    "crime": ("Shoplifting review", "Theft from licensed premises", "Crime prevention visit",
              "Bike theft hotspot"),
    "anti_social_behaviour": ("ASB complaint follow-up", "Rough sleeping outreach", "Noise complaint visit",
                              "Street drinking near the entrance"),
    "road_closures": ("Lord Mayor's Show road closures", "Traffic management meeting", "Bank junction works",
                      "Bridge closure diversions"),
    "public_events": ("Lord Mayor's Show planning", "London Marathon route briefing", "Event safety group",
                      "New Year's Eve planning"),
}
GENERAL_SUBJECTS = ("Introductory meeting", "Quarterly catch-up", "Business bulletin", "Ward panel", "Welcome pack")
OUTCOMES = (
    "Agreed to share CCTV footage", "Follow-up visit booked", "Sent leaflets", "Added to the alert list",
    "No further action", "Referred to the CTSA", "Will circulate to staff", "Asked for a written summary",
    "Raised at ward panel", "Awaiting reply",
)

# Named stakeholder groups: (name, priority stakeholder, who belongs). The first three are the groups
# the force names as priority stakeholders.
GROUPS: tuple[tuple[str, bool, str], ...] = (
    ("City of London Crime Prevention Association", True, "crime_prevention"),
    ("Sister banks", True, "banks"),
    ("Police Committee", True, "police_committee"),
    ("CCTV owners", False, "cctv"),
    ("Licensed premises forum", False, "licensed"),
    ("Residents' associations forum", False, "residents"),
)
# Other ways the same group is written on a row.
GROUP_SPELLINGS: dict[str, tuple[str, ...]] = {
    "City of London Crime Prevention Association": ("CoLCPA", "City of London Crime Prevention Association"),
    "Sister banks": ("Sister Banks", "sister banks"),
}

# CSSC-style industry sectors an organisation of each kind belongs to.
SECTOR_OF_KIND: dict[str, str] = {
    "bank": "Finance", "insurer": "Insurance", "law": "Legal", "professional": "Professional Services",
    "tech": "Telecoms", "shop": "Retail", "pub": "Hospitality", "restaurant": "Hospitality",
    "hotel": "Hospitality", "property": "Property", "security": "Private Security", "police": "Emergency Services",
}
# Property firms that build as well as manage go in Construction; some pubs run venues and events.
SECTOR_ALTERNATIVES: dict[str, tuple[str, float]] = {
    "property": ("Construction", 0.3), "pub": ("Entertainment & Events", 0.2),
}
SECTOR_OF_PUBLIC_BODY: dict[str, str] = {
    "City of London Corporation": "Government", "Greater London Authority": "Government",
    "London Borough of Tower Hamlets": "Government", "London Borough of Islington": "Government",
    "London Fire Brigade": "Emergency Services", "London Ambulance Service NHS Trust": "Health",
    "Barts Health NHS Trust": "Health", "Transport for London": "Transport", "Network Rail": "Transport",
    "Port of London Authority": "Transport",
}
# Charities by the last words of their name (reference.CHARITY_TEMPLATES).
SECTOR_OF_CHARITY: tuple[tuple[str, str], ...] = (
    ("Street Pastors", "Faith"), ("Foundation", "Education"), ("Trust", "Charities"),
    ("Night Shelter", "Charities"), ("Gardens", "Charities"), ("Residents Association", "Charities"),
)
# CSSC's regional hubs an organisation's row names: the City's own, London (the hub), and the regions
# of the national bodies. Every public body but the City Corporation joins through a wider hub.
CITY_HUB, LONDON_HUB = "City of London", "London"
HUB_OF_PUBLIC_BODY: dict[str, str] = {
    "City of London Corporation": CITY_HUB, "Network Rail": "South East", "Port of London Authority": "Eastern",
}

# Satisfaction surveys: the questions asked, and what the five scores are called (contract section 8).
SURVEY_QUESTIONS = (
    "How satisfied were you with the alert you received?",
    "How satisfied are you with how City of London Police keeps you informed?",
    "Was the information in the message useful?",
    "How satisfied were you with the briefing?",
)
SCORE_WORDS = ("very dissatisfied", "dissatisfied", "neutral", "satisfied", "very satisfied")  # 1 .. 5
SCORE_WEIGHTS = (5, 10, 15, 35, 35)
COMMENTS: dict[str, tuple[str, ...]] = {
    "low": ("Arrived after the road had reopened", "Too many messages this week", "Not relevant to our building",
            "The link did not work"),
    "middle": ("Fine", "Would prefer a text", "Useful but late", "Please include a map"),
    "high": ("Very helpful, thank you", "Shared with all our staff", "Clear and timely",
             "Great briefing from the team", "Exactly what we needed during the protest"),
}

# People and firms nobody in the population is, for rows that name nobody the graph knows. The
# surnames appear in no reference.py name list, so no namesake can be matched by mistake.
STRANGER_FIRST_NAMES = ("Rupert", "Delphine", "Ottilie", "Caspar", "Marisol", "Leopold", "Wilhelmina", "Ignatius")
STRANGER_SURNAMES = ("Quenby", "Ormerod-Vance", "Thistlewood", "Pargeter", "Clerkenwell-Hayes", "Vasquez-Lowe",
                     "Brindlecombe", "Auchterlonie")
STRANGER_ORGANISATIONS = ("Tallowmere Events Ltd", "Grisewood & Pike Consultancy", "Hollowbrook Couriers",
                          "Finchcombe Pop-Up Ltd")
STRANGER_MAIL_DOMAINS = ("gmail.com", "outlook.com", "protonmail.com")
