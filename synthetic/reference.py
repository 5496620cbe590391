"""Fixed reference lists the synthetic City of London is drawn from.

Everything here is fictional except the public geography (wards, postcode
districts, streets) and the names of public bodies that are partner agencies.
Names are limited to characters Windows-1252 can encode, because one
directorate file is written in that encoding.
"""

from __future__ import annotations

# The City's 25 wards and an approximate centroid (latitude, longitude) of each;
# a postcode is placed in the ward whose centroid is nearest.
WARDS: dict[str, tuple[float, float]] = {
    "Aldersgate": (51.5190, -0.0970),
    "Aldgate": (51.5135, -0.0775),
    "Bassishaw": (51.5170, -0.0915),
    "Billingsgate": (51.5095, -0.0830),
    "Bishopsgate": (51.5175, -0.0800),
    "Bread Street": (51.5135, -0.0955),
    "Bridge": (51.5095, -0.0865),
    "Broad Street": (51.5155, -0.0855),
    "Candlewick": (51.5115, -0.0870),
    "Castle Baynard": (51.5120, -0.1010),
    "Cheap": (51.5148, -0.0925),
    "Coleman Street": (51.5172, -0.0885),
    "Cordwainer": (51.5125, -0.0925),
    "Cornhill": (51.5135, -0.0865),
    "Cripplegate": (51.5200, -0.0930),
    "Dowgate": (51.5105, -0.0900),
    "Farringdon Within": (51.5160, -0.0995),
    "Farringdon Without": (51.5155, -0.1070),
    "Langbourn": (51.5120, -0.0840),
    "Lime Street": (51.5130, -0.0815),
    "Portsoken": (51.5145, -0.0735),
    "Queenhithe": (51.5105, -0.0955),
    "Tower": (51.5100, -0.0790),
    "Vintry": (51.5105, -0.0925),
    "Walbrook": (51.5125, -0.0895),
}
CITY_BOUNDS = ((51.5080, 51.5220), (-0.1130, -0.0720))  # (lat min, max), (lon min, max)
DISTRICT_NAME = "City of London"


# Postcode districts: centroid and the streets an address there is on.
DISTRICTS: dict[str, tuple[float, float, tuple[str, ...]]] = {
    "EC1A": (51.5182, -0.1000, ("Aldersgate Street", "Little Britain", "West Smithfield", "King Edward Street",
                                "Cloth Fair", "Long Lane", "St Martin's Le Grand")),
    "EC2A": (51.5202, -0.0835, ("Sun Street", "Appold Street", "Wilson Street")),
    "EC2M": (51.5180, -0.0820, ("Liverpool Street", "Old Broad Street", "Bishopsgate", "New Street",
                                "Devonshire Square", "Blomfield Street", "London Wall")),
    "EC2N": (51.5152, -0.0845, ("Old Broad Street", "Great Winchester Street", "Austin Friars",
                                "Throgmorton Street", "Bishopsgate", "Wormwood Street")),
    "EC2R": (51.5142, -0.0900, ("Threadneedle Street", "Princes Street", "Moorgate", "Lothbury", "Old Jewry",
                                "Ironmonger Lane", "King Street")),
    "EC2V": (51.5155, -0.0935, ("Gresham Street", "Cheapside", "Wood Street", "Milk Street", "Lawrence Lane",
                                "Foster Lane", "Aldermanbury", "Basinghall Street")),
    "EC2Y": (51.5195, -0.0940, ("London Wall", "Silk Street", "Fore Street", "Moor Lane", "Wood Street",
                                "Beech Street")),
    "EC3A": (51.5150, -0.0790, ("St Mary Axe", "Bevis Marks", "Houndsditch", "Aldgate", "Creechurch Lane",
                                "Leadenhall Street", "Camomile Street")),
    "EC3M": (51.5125, -0.0825, ("Fenchurch Street", "Leadenhall Street", "Lime Street", "Billiter Street",
                                "Mark Lane", "Gracechurch Street")),
    "EC3N": (51.5118, -0.0765, ("Tower Hill", "Minories", "Crutched Friars", "Coopers Row", "Jewry Street",
                                "America Square")),
    "EC3R": (51.5097, -0.0825, ("Eastcheap", "Lower Thames Street", "St Mary At Hill", "Great Tower Street",
                                "Harp Lane", "Idol Lane")),
    "EC3V": (51.5130, -0.0862, ("Cornhill", "Lombard Street", "Gracechurch Street", "Birchin Lane",
                                "Change Alley", "Clements Lane")),
    "EC4A": (51.5152, -0.1080, ("Fleet Street", "Chancery Lane", "Fetter Lane", "New Fetter Lane", "Shoe Lane",
                                "Gough Square")),
    "EC4M": (51.5145, -0.1000, ("Ludgate Hill", "St Pauls Churchyard", "Paternoster Row", "Old Bailey",
                                "Ave Maria Lane", "Newgate Street")),
    "EC4N": (51.5122, -0.0920, ("Cannon Street", "Queen Victoria Street", "Poultry", "Bucklersbury", "Walbrook",
                                "Bow Lane", "Watling Street")),
    "EC4R": (51.5102, -0.0905, ("Upper Thames Street", "College Hill", "Dowgate Hill",
                                "Laurence Pountney Lane", "Arthur Street")),
    "EC4V": (51.5115, -0.0990, ("Queen Victoria Street", "Upper Thames Street", "Blackfriars Lane",
                                "Carter Lane", "Garlick Hill")),
    "EC4Y": (51.5133, -0.1100, ("Temple Avenue", "Tudor Street", "Bouverie Street", "Whitefriars Street",
                                "Middle Temple Lane")),
}
# Districts where people live rather than only work (Barbican, Golden Lane, Temple, Portsoken).
RESIDENTIAL_SHARE = {"EC2Y": 0.7, "EC1A": 0.4, "EC3N": 0.4, "EC4A": 0.3, "EC4Y": 0.3, "EC3A": 0.2}
RESIDENTIAL_BLOCKS = {
    "EC2Y": ("Lauderdale Tower", "Cromwell Tower", "Shakespeare Tower", "Speed House", "Ben Jonson House",
             "Andrewes House", "Gilbert House", "Defoe House", "Thomas More House"),
    "EC1A": ("Great Arthur House", "Crescent House", "Cullum Welch House", "Bowater House"),
    "EC3N": ("Petticoat Tower", "Middlesex Street Estate", "Mansell Court"),
}

# (postcode, latitude, longitude, ward): fixed points used by the README's demo query.
ANCHOR_POSTCODES = (
    ("EC2R 8AH", 51.5140, -0.0890, "Cornhill"),  # Bank junction
    ("EC2V 7HH", 51.5150, -0.0914, "Cheap"),  # Guildhall
)
# Real City postcodes deliberately left out of the postcodes file, so the
# pipeline has to look them up: (postcode, latitude, longitude, ward).
UNLISTED_POSTCODES = (
    ("EC1A 7BE", 51.5175, -0.1002, "Farringdon Without"),
    ("EC2Y 8DS", 51.5202, -0.0937, "Cripplegate"),
    ("EC3M 7HA", 51.5131, -0.0823, "Lime Street"),
    ("EC4M 8AD", 51.5138, -0.0984, "Castle Baynard"),
)

# Experian Mosaic: 15 groups, 66 types; the number of types in each group.
MOSAIC_GROUP_SIZES = {
    "A": 4, "B": 5, "C": 5, "D": 3, "E": 4, "F": 4, "G": 4, "H": 5,
    "I": 4, "J": 4, "K": 3, "L": 4, "M": 4, "N": 7, "O": 6,
}
MOSAIC_GROUP_NAMES = {
    "A": "City Prosperity", "B": "Prestige Positions", "C": "Country Living", "D": "Rural Reality",
    "E": "Senior Security", "F": "Suburban Stability", "G": "Domestic Success", "H": "Aspiring Homemakers",
    "I": "Family Basics", "J": "Transient Renters", "K": "Municipal Tenants", "L": "Vintage Value",
    "M": "Modest Traditions", "N": "Urban Cohesion", "O": "Rental Hubs",
}
CITY_MOSAIC_GROUP_WEIGHTS = {"A": 55, "O": 25, "J": 8, "K": 6, "N": 6}

# Issue taxonomy (contract section 4): canonical issue -> spellings seen in files.
ISSUE_SPELLINGS: dict[str, tuple[str, ...]] = {
    "anti_social_behaviour": ("ASB", "Anti-social behaviour", "antisocial behaviour", "asb"),
    "crime": ("Crime", "Acquisitive crime", "crime"),
    "protest": ("Protest", "Protests", "Demonstrations", "demo", "protest"),
    "terrorism": ("Terrorism", "Counter Terrorism", "CT", "terrorism"),
    "security": ("Security", "Business security", "security"),
    "fraud": ("Fraud", "Economic crime", "fraud"),
    "cyber_crime": ("Cyber", "Cyber crime", "Cybercrime", "cyber"),
    "road_closures": ("Road closures", "Roads", "Traffic", "road closures"),
    "public_events": ("Events", "Public events", "events"),
}

# First names: (name, gender, nicknames, weight). Nicknames are how the same
# person may appear in another list.
FIRST_NAMES: tuple[tuple[str, str, tuple[str, ...], int], ...] = (
    ("Robert", "m", ("Bob", "Rob", "Bobby"), 8), ("William", "m", ("Bill", "Will", "Billy"), 7),
    ("James", "m", ("Jim", "Jamie"), 10), ("Michael", "m", ("Mike", "Mick"), 8),
    ("Jonathan", "m", ("Jon", "Jonny"), 5), ("Alexander", "m", ("Alex",), 5),
    ("Christopher", "m", ("Chris",), 6), ("Daniel", "m", ("Dan", "Danny"), 7),
    ("Thomas", "m", ("Tom", "Tommy"), 8), ("Stephen", "m", ("Steve",), 5), ("Anthony", "m", ("Tony",), 4),
    ("Samuel", "m", ("Sam",), 5), ("Edward", "m", ("Ed", "Ted", "Eddie"), 5), ("Richard", "m", ("Rich",), 6),
    ("Nicholas", "m", ("Nick",), 5), ("Matthew", "m", ("Matt",), 7), ("Andrew", "m", ("Andy",), 7),
    ("David", "m", ("Dave",), 9), ("Joseph", "m", ("Joe",), 5), ("Benjamin", "m", ("Ben",), 5),
    ("Timothy", "m", ("Tim",), 3), ("Peter", "m", ("Pete",), 5), ("Philip", "m", ("Phil",), 3),
    ("Gregory", "m", ("Greg",), 2), ("Frederick", "m", ("Fred",), 2), ("Henry", "m", ("Harry",), 3),
    ("Kenneth", "m", ("Ken",), 1), ("Raymond", "m", ("Ray",), 1), ("Oliver", "m", ("Ollie",), 5),
    ("Douglas", "m", ("Doug",), 1), ("Lawrence", "m", ("Larry",), 1), ("Theodore", "m", ("Theo",), 1),
    ("George", "m", (), 5), ("Jack", "m", (), 4), ("Harry", "m", (), 3), ("Mark", "m", (), 5),
    ("Paul", "m", (), 6), ("Simon", "m", (), 4), ("Ian", "m", (), 3), ("Neil", "m", (), 2),
    ("Gareth", "m", (), 2), ("Rhys", "m", (), 1), ("Callum", "m", (), 2), ("Liam", "m", (), 2),
    ("Mohammed", "m", (), 5), ("Muhammad", "m", (), 3), ("Omar", "m", (), 2), ("Yusuf", "m", (), 2),
    ("Imran", "m", (), 2), ("Raj", "m", (), 2), ("Sanjay", "m", (), 2), ("Arjun", "m", (), 2),
    ("Vikram", "m", (), 1), ("Wei", "m", (), 2), ("Hiroshi", "m", (), 1), ("Olusegun", "m", (), 1),
    ("Chidi", "m", (), 1), ("Kwame", "m", (), 1), ("Tomasz", "m", (), 2), ("Piotr", "m", (), 1),
    ("Giovanni", "m", (), 1), ("Lars", "m", (), 1), ("Dmitri", "m", (), 1), ("Ahmed", "m", (), 2),
    ("José", "m", (), 2), ("Seán", "m", (), 1), ("João", "m", (), 1), ("François", "m", (), 1),
    ("Björn", "m", (), 1), ("Ciarán", "m", (), 1),
    ("Elizabeth", "f", ("Liz", "Beth", "Lizzie"), 7), ("Katherine", "f", ("Kate", "Kathy", "Katie"), 6),
    ("Catherine", "f", ("Cathy", "Kate"), 4), ("Margaret", "f", ("Maggie", "Meg"), 3),
    ("Patricia", "f", ("Pat", "Trish"), 3), ("Jennifer", "f", ("Jenny", "Jen"), 5),
    ("Rebecca", "f", ("Becky", "Becca"), 5), ("Victoria", "f", ("Vicky", "Tori"), 5),
    ("Alexandra", "f", ("Alex", "Lexi"), 3), ("Samantha", "f", ("Sam",), 4), ("Susan", "f", ("Sue",), 4),
    ("Deborah", "f", ("Debbie", "Deb"), 3), ("Charlotte", "f", ("Charlie", "Lottie"), 5),
    ("Jessica", "f", ("Jess",), 5), ("Abigail", "f", ("Abby",), 3), ("Josephine", "f", ("Jo",), 2),
    ("Joanne", "f", ("Jo",), 3), ("Eleanor", "f", ("Ellie", "Nell"), 3), ("Penelope", "f", ("Penny",), 1),
    ("Christine", "f", ("Chris",), 2), ("Frances", "f", ("Fran",), 2),
    ("Sarah", "f", (), 9), ("Emma", "f", (), 7), ("Laura", "f", (), 6), ("Claire", "f", (), 5),
    ("Rachel", "f", (), 5), ("Hannah", "f", (), 5), ("Sophie", "f", (), 5), ("Olivia", "f", (), 4),
    ("Emily", "f", (), 5), ("Grace", "f", (), 3), ("Lucy", "f", (), 5), ("Helen", "f", (), 5),
    ("Amy", "f", (), 4), ("Nicola", "f", (), 3), ("Louise", "f", (), 3), ("Gemma", "f", (), 2),
    ("Aisha", "f", (), 3), ("Fatima", "f", (), 3), ("Ayesha", "f", (), 2), ("Priya", "f", (), 3),
    ("Anita", "f", (), 2), ("Sunita", "f", (), 1), ("Mei", "f", (), 2), ("Yuki", "f", (), 1),
    ("Ama", "f", (), 1), ("Ngozi", "f", (), 1), ("Agnieszka", "f", (), 2), ("Katarzyna", "f", (), 1),
    ("Francesca", "f", (), 2), ("Ingrid", "f", (), 1), ("Siobhan", "f", (), 2), ("Niamh", "f", (), 2),
    ("Zoë", "f", (), 3), ("Chloë", "f", (), 2), ("Renée", "f", (), 1), ("Siân", "f", (), 2),
    ("Inês", "f", (), 1), ("Hélène", "f", (), 1),
)
# Names without common nicknames, for a realistic spread: (name, gender).
MORE_FIRST_NAMES: tuple[tuple[str, str], ...] = tuple(
    (name, "m") for name in (
        "Aaron", "Adam", "Adrian", "Aidan", "Alan", "Alistair", "Amir", "Barry", "Brian", "Carl", "Colin",
        "Connor", "Craig", "Darren", "Dean", "Declan", "Dominic", "Duncan", "Elliot", "Euan", "Felix", "Gavin",
        "Graham", "Guy", "Hamish", "Hugo", "Isaac", "Jake", "Jason", "Jeremy", "Keith", "Kevin", "Luke",
        "Martin", "Nathan", "Nigel", "Owen", "Patrick", "Rory", "Ross", "Ryan", "Scott", "Shaun", "Stuart",
        "Toby", "Tristan", "Vincent", "Wayne", "Zain", "Hassan", "Kofi", "Ravi", "Deepak", "Jun", "Mateusz",
    )
) + tuple(
    (name, "f") for name in (
        "Alice", "Amelia", "Andrea", "Angela", "Anna", "Bethany", "Caroline", "Cheryl", "Diana", "Donna", "Eva",
        "Fiona", "Gillian", "Harriet", "Holly", "Imogen", "Isabel", "Jane", "Julia", "Karen", "Kirsty",
        "Leanne", "Lisa", "Lydia", "Maria", "Megan", "Michelle", "Natalie", "Naomi", "Philippa", "Rosie", "Ruth",
        "Sally", "Sandra", "Tanya", "Tracey", "Vanessa", "Yasmin", "Zara", "Amina", "Deepa", "Leila", "Maryam",
        "Noor", "Sadia", "Chiamaka", "Lin", "Aleksandra", "Giulia", "Carmen",
    )
)
# Names with accents: people who carry them appear in the Windows-1252 file.
ACCENTED_FIRST_NAMES = ("Zoë", "José", "Siân", "Renée", "Seán", "Chloë", "João", "Inês", "François", "Björn")

# Surnames: common ones (weighted), rarer ones, and name shapes that trip matchers.
COMMON_SURNAMES: tuple[tuple[str, int], ...] = (
    ("Smith", 40), ("Jones", 30), ("Williams", 20), ("Taylor", 18), ("Brown", 18), ("Davies", 15),
    ("Evans", 12), ("Wilson", 12), ("Thomas", 11), ("Johnson", 11), ("Roberts", 10), ("Robinson", 9),
    ("Thompson", 9), ("Wright", 9), ("Walker", 9), ("White", 8), ("Edwards", 8), ("Hughes", 8),
    ("Green", 8), ("Hall", 8), ("Lewis", 8), ("Harris", 8), ("Clarke", 8), ("Patel", 22), ("Khan", 16),
    ("Jackson", 7), ("Wood", 7), ("Turner", 7), ("Martin", 7), ("Cooper", 7), ("Hill", 7), ("Ward", 6),
    ("Morris", 6), ("Moore", 6), ("Clark", 6), ("Lee", 7), ("King", 6), ("Baker", 6), ("Harrison", 6),
    ("Morgan", 6), ("Allen", 5), ("James", 5), ("Scott", 5), ("Phillips", 5), ("Watson", 5), ("Davis", 5),
    ("Parker", 5), ("Price", 5), ("Bennett", 5), ("Young", 5), ("Griffiths", 5), ("Mitchell", 5),
    ("Kelly", 5), ("Cook", 5), ("Carter", 5), ("Richardson", 4), ("Bailey", 4), ("Collins", 4), ("Bell", 4),
    ("Shaw", 4), ("Murphy", 5), ("Miller", 4), ("Cox", 4), ("Richards", 4), ("Marshall", 4),
    ("Anderson", 4), ("Simpson", 4), ("Ellis", 4), ("Adams", 4), ("Singh", 12), ("Begum", 8), ("Ali", 9),
    ("Hussain", 8), ("Ahmed", 8), ("Kaur", 6), ("Shah", 6), ("Wilkinson", 3), ("Foster", 3),
    ("Chapman", 3), ("Powell", 3), ("Webb", 3), ("Rogers", 3), ("Gray", 3), ("Mason", 3), ("Hunt", 3),
    ("Campbell", 4), ("Matthews", 3), ("Owen", 3), ("Palmer", 3), ("Holmes", 3), ("Mills", 3),
    ("Barnes", 3), ("Knight", 3), ("Lloyd", 3), ("Butler", 3), ("Russell", 3), ("Fisher", 3),
    ("Stevens", 3), ("Jenkins", 3), ("Murray", 3), ("Dixon", 3), ("Harvey", 3), ("Graham", 3),
    ("Pearson", 3), ("Fletcher", 2), ("Walsh", 3), ("Gibson", 2), ("Howard", 2), ("Andrews", 2),
    ("Stewart", 3), ("Elliott", 2), ("Reynolds", 2), ("Saunders", 2), ("Payne", 2), ("Fox", 2),
    ("Pearce", 2), ("Brooks", 2), ("Lawrence", 2), ("Cole", 2), ("Atkinson", 2), ("Spencer", 2),
    ("Gill", 3), ("Dawson", 2), ("Burton", 2), ("Watts", 2), ("Rose", 2), ("Perry", 2), ("Ryan", 2),
    ("Grant", 2), ("Armstrong", 2), ("Rees", 2), ("Hart", 2), ("Hudson", 2), ("Newman", 2),
    ("Chen", 5), ("Wang", 4), ("Li", 4), ("Zhang", 3), ("Nguyen", 3), ("Kim", 2), ("Okafor", 2),
    ("Adeyemi", 2), ("Mensah", 2), ("Boateng", 2), ("Kowalski", 2), ("Nowak", 2), ("Rossi", 2),
    ("Silva", 2), ("Santos", 2), ("Fernandes", 2), ("Schmidt", 1), ("Dubois", 1), ("Novak", 1),
    ("O'Neill", 4), ("O'Brien", 4), ("O'Connor", 3), ("McDonald", 4), ("McCarthy", 3), ("MacDonald", 2),
    ("McKenzie", 2), ("D'Souza", 2), ("Müller", 1), ("Lefèvre", 1), ("Núñez", 1),
)
RARE_SURNAMES: tuple[str, ...] = (
    "Featherstonehaugh", "Cholmondeley", "Quartermain", "Winterbottom", "Ravenscroft", "Blatherwick",
    "Pettigrew", "Ffoulkes", "Tiplady", "Scattergood", "Gathercole", "Honeysett", "Loveridge",
    "Postlethwaite", "Threlfall", "Ogunbanjo", "Vanderpump", "Higginbotham", "Smallbone", "Goodenough",
    "Fairweather", "Bellingham", "Trelawney", "Penhaligon", "Aldous", "Lockyer", "Nettleship", "Wedgwood",
    "Oyelaran", "Achterberg", "Szymanska", "Papadopoulos", "Kapoor", "Chaudhry", "Rahman", "Iqbal",
    "Okonkwo", "Abubakar", "Takahashi", "Yamamoto", "Lindqvist", "Castellanos", "Brennan", "Doherty",
)
MORE_SURNAMES: tuple[str, ...] = (
    "Abbott", "Akhtar", "Asante", "Bains", "Banerjee", "Bhatt", "Bibi", "Chowdhury", "Choudhury", "Dhillon",
    "Islam", "Mahmood", "Malik", "Mirza", "Qureshi", "Rehman", "Sandhu", "Sharma", "Gupta", "Joshi", "Mehta",
    "Nair", "Pillai", "Reddy", "Rao", "Iyer", "Huang", "Liu", "Yang", "Zhou", "Wu", "Lin", "Tan", "Ng", "Wong",
    "Cheung", "Lam", "Park", "Choi", "Tran", "Pham", "Sato", "Suzuki", "Osei", "Owusu", "Appiah", "Adebayo",
    "Afolabi", "Eze", "Nwosu", "Obi", "Okeke", "Balogun", "Bello", "Diallo", "Kamara", "Mwangi", "Otieno",
    "Wisniewski", "Lewandowski", "Kaminski", "Zielinski", "Popescu", "Ionescu", "Horvath",
    "Kovacs", "Nagy", "Petrov", "Ivanov", "Romano", "Colombo", "Ricci", "Bianchi", "Greco", "Moreau",
    "Laurent", "Girard", "Garcia", "Martinez", "Rodriguez", "Lopez", "Gonzalez", "Perez", "Sanchez",
    "Ramirez", "Torres", "Pereira", "Costa", "Oliveira", "Alves", "Jansen", "De Vries", "Bakker", "Visser",
    "Larsen", "Hansen", "Nielsen", "Berg", "Lund", "Koch", "Becker", "Wagner", "Hoffmann", "Weber",
    "Fitzgerald", "Gallagher", "Kavanagh", "Quinn", "Byrne", "Doyle", "Lynch", "Hogan", "Sheridan", "Ross",
    "Fraser", "Hamilton", "Maclean", "Munro", "Sinclair", "Crawford", "Boyd", "Kerr", "Ferguson", "Hunter",
    "Vaughan", "Powys", "Pryce", "Bevan", "Lloyd-Jones", "Hopkins", "Jenkinson", "Howells", "Probert",
)
# English place-name surnames ("Ashford", "Thornton"): the long tail of a real register.
SURNAME_STEMS = ("Ash", "Brad", "Brom", "Chat", "Craw", "Dal", "Els", "Fair", "Gold", "Hart", "Holl", "Kings",
                 "Lang", "Mar", "Mid", "Nor", "Pen", "Ram", "Red", "Shel", "Stan", "Thorn", "Wal", "Wes", "Whit",
                 "Wood", "Bur", "Cran", "Dun", "Ful", "Hal", "Hep", "Lin", "Oak", "Pres", "Rad", "Sand", "Tal",
                 "Wad", "Wil", "Wyn", "Brook", "Al", "Bel", "Cot", "Hux", "Kel", "Mel")
SURNAME_ENDINGS = ("ford", "ley", "ton", "worth", "field", "well", "ham", "wood", "by", "combe", "stone",
                   "more", "dale", "bury", "hurst", "land", "wick", "den", "ridge", "brook", "shaw", "croft",
                   "thorpe", "court")
PARTICLE_SURNAMES = ("De Souza", "Da Silva", "van der Berg", "De Luca")
TITLES = {"m": (("Mr", 90), ("Dr", 8), ("Prof", 2)),
          "f": (("Ms", 40), ("Mrs", 33), ("Miss", 15), ("Dr", 10), ("Prof", 2))}

# Words fictional organisation names are built from.
ORG_WORDS = (
    "Meridian", "Sterling", "Northgate", "Thameside", "Ludgate", "Bastion", "Regent", "Albion", "Monument",
    "Gresham", "Lombard", "Moorgate", "Threadneedle", "Fenchurch", "Leadenhall", "Holborn", "Blackfriars",
    "Minories", "Apex", "Summit", "Harbour", "Beacon", "Keystone", "Vanguard", "Pinnacle", "Oakwood",
    "Ashford", "Kingsley", "Whitmore", "Carrington", "Pemberton", "Ravensworth", "Ellington", "Hawthorne",
    "Marlowe", "Thornbury", "Fairbairn", "Castellan", "Lionheart", "Silverline", "Bluewater", "Greystone",
    "Redbridge", "Blackwood", "Goldcrest", "Ironbridge", "Quayside", "Wharfside", "Aldermary", "Cordwain",
    "Portcullis", "Griffin", "Halcyon", "Larkspur", "Millbank", "Norland", "Orchard", "Pelham", "Quill",
    "Rowan", "Saxon", "Tamar", "Ulverston", "Vale", "Westbury", "Yarrow", "Zenith", "Cobalt", "Falcon",
    "Heron", "Juniper", "Kestrel", "Linden", "Mercia", "Nimbus", "Osprey", "Pheasant", "Regis", "Sable",
)
PUB_ADJECTIVES = ("Red", "Golden", "Black", "White", "Old", "Royal", "Jolly", "Blue", "Green", "Silver",
                  "Crooked", "Kings", "Three", "Flying")
PUB_NOUNS = ("Lion", "Fleece", "Swan", "Hart", "Anchor", "Bell", "Crown", "Grapes", "Ship", "Horn",
             "Griffin", "Cheshire Cheese", "Tun", "Mitre", "Bull", "Dragon", "Compasses", "Sugarloaf")

# Business kinds: name templates (base, legal suffix), weight, job titles, likely issues.
# "{W}" is an organisation word, "{S}" a surname.
BUSINESS_KINDS: dict[str, dict] = {
    "bank": {"weight": 12, "templates": (("{W} Bank", "plc"), ("{W} Capital", "Ltd"),
                                         ("{W} Asset Management", "Ltd"), ("{W} Securities", "Ltd"),
                                         ("{W} Private Bank", "Ltd")),
             "jobs": ("Head of Security", "Chief Information Security Officer", "Facilities Manager",
                      "Fraud Risk Manager", "Compliance Officer", "Operations Director",
                      "Business Continuity Manager", "Office Manager"),
             "issues": ("fraud", "cyber_crime", "security", "terrorism", "protest")},
    "law": {"weight": 12, "templates": (("{S} {S}", "LLP"), ("{S} & {S}", "LLP"), ("{S} {S} & {S}", "LLP")),
            "jobs": ("Managing Partner", "Partner", "Office Manager", "Head of Facilities", "IT Director",
                     "Risk and Compliance Manager"),
            "issues": ("fraud", "cyber_crime", "security")},
    "insurer": {"weight": 10, "templates": (("{W} Insurance", "plc"), ("{W} Underwriting", "Ltd"),
                                            ("{W} Re", "Ltd"), ("{W} Syndicate Management", "Ltd"),
                                            ("{W} Insurance Brokers", "Ltd")),
                "jobs": ("Head of Security", "Facilities Manager", "Claims Director", "Chief Risk Officer",
                         "Business Continuity Manager"),
                "issues": ("fraud", "cyber_crime", "terrorism", "security")},
    "professional": {"weight": 8, "templates": (("{S} {S}", "LLP"), ("{W} Consulting", "Ltd"),
                                                ("{W} Advisory", "LLP")),
                     "jobs": ("Partner", "Office Manager", "Head of IT", "Director"),
                     "issues": ("fraud", "cyber_crime")},
    "tech": {"weight": 7, "templates": (("{W} Technologies", "Ltd"), ("{W} Digital", "Ltd"), ("{W} Data", "Ltd")),
             "jobs": ("Chief Technology Officer", "Head of Information Security", "Office Manager", "Founder"),
             "issues": ("cyber_crime", "fraud")},
    "pub": {"weight": 12, "templates": (("The {A} {N}", None), ("The {N} and {N}", None), ("The {S} Arms", None)),
            "jobs": ("Licensee", "General Manager", "Bar Manager", "Landlord"),
            "issues": ("anti_social_behaviour", "crime", "public_events", "protest")},
    "restaurant": {"weight": 7, "templates": (("{W} Kitchen", "Ltd"), ("{W} Coffee", "Ltd"), ("{S}'s Deli", None)),
                   "jobs": ("Owner", "Restaurant Manager", "Manager"),
                   "issues": ("crime", "anti_social_behaviour", "public_events")},
    "shop": {"weight": 9, "templates": (("{W} Newsagents", None), ("{W} Pharmacy", "Ltd"), ("{W} Wines", "Ltd"),
                                        ("{W} Tailors", "Ltd"), ("{W} Opticians", "Ltd")),
             "jobs": ("Store Manager", "Owner", "Assistant Manager"),
             "issues": ("crime", "anti_social_behaviour", "fraud")},
    "hotel": {"weight": 6, "templates": (("The {W} Hotel", None), ("{W} Hotel London", "Ltd")),
              "jobs": ("Hotel Manager", "Security Manager", "Night Manager", "Head of Security"),
              "issues": ("security", "terrorism", "protest", "public_events", "crime")},
    "property": {"weight": 8, "templates": (("{W} Property Management", "Ltd"), ("{W} Facilities Services", "Ltd"),
                                            ("{W} Estates", "Ltd")),
                 "jobs": ("Building Manager", "Facilities Manager", "Property Manager", "Security Supervisor"),
                 "issues": ("security", "terrorism", "road_closures", "protest")},
    "security": {"weight": 4, "templates": (("{W} Security Services", "Ltd"), ("{W} Keyholding", "Ltd")),
                 "jobs": ("Operations Manager", "Security Officer", "Control Room Supervisor",
                          "Account Manager"),
                 "issues": ("security", "crime", "terrorism")},
}
KINDS_WITH_PREMISES = ("bank", "law", "insurer", "professional", "tech", "pub", "restaurant", "shop", "hotel",
                       "property")
# Kinds whose owners often use a personal mailbox rather than a work domain.
PERSONAL_MAIL_KINDS = ("pub", "restaurant", "shop")

# Partner agencies and police forces: name, category, email domain, other names seen in lists.
PUBLIC_BODIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("City of London Corporation", "partner_agency", "cityoflondon.gov.uk",
     ("City of London Corp", "Corporation of London", "The City of London Corporation")),
    ("London Fire Brigade", "partner_agency", "london-fire.gov.uk", ("LFB", "London Fire Brigade (LFB)")),
    ("Transport for London", "partner_agency", "tfl.gov.uk", ("TfL", "Transport For London")),
    ("London Ambulance Service NHS Trust", "partner_agency", "londonambulance.nhs.uk",
     ("London Ambulance Service", "LAS")),
    ("Port of London Authority", "partner_agency", "pla.co.uk", ("PLA",)),
    ("Network Rail", "partner_agency", "networkrail.co.uk", ("Network Rail Ltd",)),
    ("Greater London Authority", "partner_agency", "london.gov.uk", ("GLA",)),
    ("Barts Health NHS Trust", "partner_agency", "nhs.net", ("Barts Health",)),
    ("London Borough of Tower Hamlets", "partner_agency", "towerhamlets.gov.uk",
     ("Tower Hamlets Council", "LB Tower Hamlets")),
    ("London Borough of Islington", "partner_agency", "islington.gov.uk", ("Islington Council",)),
    ("British Transport Police", "police", "btp.police.uk", ("BTP",)),
    ("Metropolitan Police Service", "police", "met.police.uk", ("Met Police", "MPS")),
)
PUBLIC_BODY_JOBS = {
    "partner_agency": ("Events Coordinator", "Highways Manager", "Community Safety Officer",
                       "Head of Resilience", "Station Commander", "Licensing Officer", "Duty Manager"),
    "police": ("Inspector", "Sergeant", "Chief Inspector", "Detective Sergeant", "Superintendent",
               "Police Constable"),
}
PUBLIC_BODY_ISSUES = {
    "partner_agency": ("road_closures", "public_events", "protest", "terrorism", "anti_social_behaviour"),
    "police": ("terrorism", "protest", "crime", "public_events", "fraud"),
}
CHARITY_TEMPLATES = ("{W} Residents Association", "Friends of {W} Gardens", "{W} Community Trust",
                     "City {W} Foundation", "{W} Night Shelter", "{W} Street Pastors")
CHARITY_JOBS = ("Chair", "Secretary", "Volunteer Coordinator", "Trustee", "Director")
CHARITY_ISSUES = ("anti_social_behaviour", "crime", "public_events", "road_closures")
RESIDENT_ISSUES = ("anti_social_behaviour", "crime", "road_closures", "public_events", "protest")
OTHER_JOBS = ("Journalist", "Consultant", "Researcher", "Architect")
ROLE_MAILBOXES = ("security", "facilities", "reception", "info", "events", "frontdesk")
PERSONAL_MAIL_DOMAINS = ("gmail.com", "outlook.com", "hotmail.co.uk", "btinternet.com", "yahoo.co.uk",
                         "icloud.com")
