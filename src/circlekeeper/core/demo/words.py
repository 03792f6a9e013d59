"""The demo's names, words and weights: data lists, long on purpose."""

from __future__ import annotations

from circlekeeper.core.domain.eligibility import EXCLUSION_NAMES
from circlekeeper.core.domain.enums import (
    AgreementItemKind,
    CircleKind,
)

# Given names (F female, M male) and family names (L), by heritage, after the weight and the
# race/ethnicity label (federal categories, with MENA); weights roughly follow a diverse district.
CULTURE_TEXT = """
28 Hispanic or Latino
F María, Sofía, Valentina, Ximena, Guadalupe, Lucía, Itzel, Renata, Daniela, Camila,
F Araceli, Yesenia
M José, Alejandro, Santiago, Mateo, Francisco, Jesús, Ángel, Diego, Emiliano, Joaquín,
M Héctor, Luis
L Núñez, García, Hernández, López, Martínez, Ramírez, Pérez, Gómez, Sánchez, Castillo,
L Ibáñez, Morales, Ortiz, Peña, Rodríguez, Vargas
33 White
F Emma, Zoë, Olivia, Hannah, Chloé, Abigail, Renée, Madison, Mary-Kate, Anne-Marie, Caitlin,
F Brooke
M Liam, Jack, Owen, Wyatt, Connor, Jean-Luc, Caleb, Ethan, Logan, Mason, Henry, Søren
L Smith, Johnson, Miller, O'Brien, Kowalski, Schmidt, Anderson, Müller, Novak, MacDonald,
L Olsen, Fitzgerald, Brennan, Larsen, Ward, Becker
17 Black or African American
F Aaliyah, Imani, Nia, Zuri, Kiara, Amara, Jada, Destiny, Nneka, Aisha, Ebony, Tiana
M Jamal, DeShawn, Malik, Darnell, Tyrone, Kwame, Jaylen, Andre, Marcus, Elijah, Chinedu,
M Terrell
L Washington, Jackson, Robinson, Okafor, Williams, Banks, Coleman, Mensah, Jefferson, Osei,
L Thompson, Harris, Adeyemi, Brooks
7 Asian
F Mei, Thảo, Yuna, Hana, Linh, Jia, Ji-woo, Xiu, Sakura, Ngọc
M Minh, Wei, Hiroshi, Min-jun, Bao, Jun, Kenji, Tuấn, Hao, Seo-jun
L Nguyễn, Trần, Chen, Wang, Kim, Park, Tanaka, Lê, Zhang, Lee, Yamamoto, Phạm, Liu, Choi
4 Asian
F Priya, Ananya, Aditi, Fatima, Kavya, Sanjana, Ishita, Harpreet
M Arjun, Rohan, Aarav, Vikram, Sai, Imran, Gurpreet, Dev
L Patel, Sharma, Singh, Reddy, Iyer, Chaudhry, Gupta, Banerjee, Khan, Venkataraman
4 Middle Eastern or North African
F Layla, Yasmin, Noor, Mariam, Leila, Rania, Amal, Shirin
M Omar, Yusuf, Karim, Ali, Hassan, Tariq, Samir, Dariush
L Haddad, Al-Masri, Nasser, Khalil, Saleh, Abboud, Rahimi, El-Amin, Hosseini, Mansour
3 American Indian or Alaska Native
F Nizhoni, Shandiin, Kaya, Winona, Tala, Aiyana
M Ahiga, Dakota, Hosteen, Kele, Chayton, Takoda
L Begay, Yazzie, Tsosie, Benally, Harjo, Locklear, Nez, Two Bulls, Oxendine, Cornsilk
1 Native Hawaiian or Other Pacific Islander
F Leilani, Malia, Moana, Sina
M Keanu, Makoa, Sione, Tevita
L Kahale, Fonoti, Tuilagi, Kealoha, Fifita
"""

EITHER = ("Alex", "Jordan", "River", "Sky", "Rowan", "Quinn", "Sam", "Jesse", "Ari", "Noor")

NICKNAMES = {
    "Alejandro": "Alex",
    "Guadalupe": "Lupe",
    "Francisco": "Paco",
    "Jesús": "Chuy",
    "Daniela": "Dani",
    "Valentina": "Vale",
    "Abigail": "Abby",
    "Caitlin": "Cait",
    "Elijah": "Eli",
    "Marcus": "Marc",
    "Chinedu": "Chi",
    "Ananya": "Anu",
    "Venkataraman": "Venk",
    "Harpreet": "Preet",
    "Nizhoni": "Niz",
    "Yusuf": "Joe",
    "Kwame": "Kay",
    "Min-jun": "Daniel",
}

CATEGORIES = (
    ("Conflict between students", 22),
    ("Disrespect to staff", 14),
    ("Bullying", 10),
    ("Social media harassment", 9),
    ("Fighting", 10),
    ("Vandalism", 6),
    ("Theft", 6),
    ("Classroom disruption", 12),
    ("Attendance and truancy", 6),
    ("Harmful language", 5),
)

DESCRIPTIONS = {
    "Conflict between students": "An argument between students grew over several days.",
    "Disrespect to staff": "A student swore at a teacher after being asked to put a phone away.",
    "Bullying": "A student was repeatedly mocked and left out by a group of classmates.",
    "Social media harassment": "Hurtful posts about a student were shared in a group chat.",
    "Fighting": "Two students fought; both had minor scrapes and no one needed a doctor.",
    "Vandalism": "Graffiti was drawn on the wall of a restroom and a stall door was damaged.",
    "Theft": "Headphones were taken from a backpack during PE.",
    "Classroom disruption": "Repeated outbursts stopped a lesson several times in one week.",
    "Attendance and truancy": "A student has missed many first periods since the term began.",
    "Harmful language": "A slur was used toward a classmate in the hallway.",
}

LOCATIONS = (
    "Cafeteria",
    "Hallway B",
    "Gym",
    "Bus 14",
    "Room 204",
    "Library",
    "Parking lot",
    "Online",
    "Locker room",
    "Courtyard",
    "Science lab",
    "Main office",
)

# The incident vocabulary entry (migration 0007) each demo category is recorded as.
CATEGORY_TYPES = {
    "Conflict between students": "conflict",
    "Disrespect to staff": "disrespect",
    "Bullying": "bullying",
    "Social media harassment": "harassment",
    "Fighting": "fighting",
    "Vandalism": "property_damage",
    "Theft": "theft",
    "Classroom disruption": "disruption",
    "Attendance and truancy": "truancy",
    "Harmful language": "harmful_language",
}

# Hour of day and weight: passing times and lunch are when most incidents happen.
INCIDENT_HOURS = (
    (7, 4),
    (8, 10),
    (9, 8),
    (10, 11),
    (11, 15),
    (12, 17),
    (13, 10),
    (14, 12),
    (15, 9),
    (16, 4),
)

ROOMS = ("Counseling office", "Room 112", "Library", "Conference room", "Room 204", "Gym")

PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they")

RELATIONS = (
    ("Mother", 40),
    ("Father", 30),
    ("Grandmother", 10),
    ("Aunt", 5),
    ("Stepfather", 4),
    ("Foster parent", 4),
    ("Legal guardian", 4),
    ("Uncle", 3),
)

STAFF_TITLES = (
    ("Counselor", 3),
    ("Restorative practices coordinator", 1),
    ("Principal", 1),
    ("Assistant principal", 2),
    ("Dean of students", 1),
    ("Social worker", 1),
    ("School psychologist", 1),
    ("Campus monitor", 1),
)

TEACHING = ("Mathematics", "English", "Science", "History", "Art", "Music", "PE", "Spanish")

COMMUNITY_TITLES = ("Youth pastor", "Soccer coach", "Store manager", "Neighbor", "Mentor")

# Kind, weight, usual size, title. Most circles a school keeps are proactive: community
# building, daily check-ins and academic circles, far ahead of the rest.
PROACTIVE = (
    (CircleKind.COMMUNITY_BUILDING, 36, 14, "Community circle"),
    (CircleKind.CHECK_IN, 26, 9, "Morning check-in"),
    (CircleKind.ACADEMIC, 16, 12, "Content circle"),
    (CircleKind.NORM_SETTING, 6, 14, "Class agreements"),
    (CircleKind.PROBLEM_SOLVING, 4, 7, "Problem-solving circle"),
    (CircleKind.INDIVIDUAL_SUPPORT, 4, 3, "Support circle"),
    (CircleKind.GRIEF, 2, 8, "Grief circle"),
    (CircleKind.CELEBRATION, 3, 12, "Celebration circle"),
    (CircleKind.STAFF, 2, 8, "Staff circle"),
    (CircleKind.FAMILY, 1, 6, "Family circle"),
)

PURPOSES = {
    CircleKind.COMMUNITY_BUILDING: "Get to know each other and build trust in the group.",
    CircleKind.CHECK_IN: "Start the day by hearing how everyone is arriving.",
    CircleKind.ACADEMIC: "Share what we understood and what still puzzles us.",
    CircleKind.NORM_SETTING: "Agree how we want to treat each other this term.",
    CircleKind.PROBLEM_SOLVING: "Find a way through a problem the group shares.",
    CircleKind.INDIVIDUAL_SUPPORT: "Gather the adults who can help one student succeed.",
    CircleKind.GRIEF: "Make room to remember and support each other after a loss.",
    CircleKind.CELEBRATION: "Mark what the group achieved together.",
    CircleKind.STAFF: "Staff reflect on the week and support each other.",
    CircleKind.FAMILY: "Families and school talk about how to work together.",
    CircleKind.HARM_REPAIR: "Understand the harm done and agree how to repair it.",
    CircleKind.CONFERENCE: "Formal conference: hear from everyone affected and agree on repair.",
    CircleKind.PRE_MEETING: "Prepare one party for the conference and hear their story.",
    CircleKind.COMPLETION_MEETING: "Check that the agreement was kept and close the case.",
    CircleKind.REENTRY: "Welcome the student back and plan support for the return.",
}

ITEMS = (
    (AgreementItemKind.APOLOGY, "Write a letter of apology, in the form the harmed person chose."),
    (AgreementItemKind.RESTITUTION, "Pay for the damaged item in three instalments."),
    (AgreementItemKind.SERVICE, "Help the custodial staff after school for four afternoons."),
    (AgreementItemKind.COUNSELLING, "Attend three sessions with the school counselor."),
    (AgreementItemKind.BEHAVIOUR, "Stay away from the group chat where the posts were shared."),
    (AgreementItemKind.BEHAVIOUR, "Ask for a break pass instead of leaving class."),
    (AgreementItemKind.SCHOOL_SUPPORT, "The school arranges a weekly check-in with a mentor."),
    (AgreementItemKind.OTHER, "Present what was learned to the advisory class."),
)

# The same items in Spanish, as a bilingual counselor would write them for the family's copy.
ITEMS_ES = {
    "Write a letter of apology, in the form the harmed person chose.": (
        "Escribir una carta de disculpa, en la forma que eligió la persona afectada."
    ),
    "Pay for the damaged item in three instalments.": ("Pagar lo que se dañó en tres pagos."),
    "Help the custodial staff after school for four afternoons.": (
        "Ayudar al personal de limpieza después de clases durante cuatro tardes."
    ),
    "Attend three sessions with the school counselor.": (
        "Asistir a tres sesiones con la consejera o el consejero escolar."
    ),
    "Stay away from the group chat where the posts were shared.": (
        "No participar en el chat de grupo donde se compartieron las publicaciones."
    ),
    "Ask for a break pass instead of leaving class.": (
        "Pedir un pase para tomar un descanso en lugar de salirse de clase."
    ),
    "The school arranges a weekly check-in with a mentor.": (
        "La escuela organiza una reunión breve cada semana con un mentor o una mentora."
    ),
    "Present what was learned to the advisory class.": (
        "Presentar lo aprendido a la clase de orientación."
    ),
}
ITEM_CHECK = "The counselor checks with the harmed person."
ITEM_CHECK_ES = "La consejera o el consejero lo confirma con la persona afectada."

NOTES = (
    "Both students spoke openly in the main round.",
    "Talking piece passed twice in a row at the start; group settled after the values round.",
    "Guardian asked for a copy of the agreement.",
    "Follow up on the student's worry about the bus ride home.",
    "Harmed student said the apology mattered more than anything else.",
    "Group asked to meet again before the holidays.",
)

# What stops a demo case that is "not restorable": one of the screen's exclusions, or the
# facilitator's halt (never the old panel's unspecified referral, which new screens cannot set).
EXCLUDED = (*(n for n in EXCLUSION_NAMES if n != "referral_unspecified"), "halted")

Member = tuple[int, str, int | None]  # person, role, supporter of person

Culture = tuple[int, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]


def _parse_cultures(text: str) -> tuple[Culture, ...]:
    cultures: list[Culture] = []
    lists: dict[str, list[str]] = {}
    head = ""
    for line in text.strip().splitlines():
        if line[0].isdigit():
            if head:
                cultures.append(_culture(head, lists))
            head, lists = line, {"F": [], "M": [], "L": []}
        else:
            lists[line[0]].extend(n.strip() for n in line[2:].split(",") if n.strip())
    cultures.append(_culture(head, lists))
    return tuple(cultures)


def _culture(head: str, lists: dict[str, list[str]]) -> Culture:
    weight, race = head.split(" ", 1)
    return int(weight), race, tuple(lists["F"]), tuple(lists["M"]), tuple(lists["L"])


CULTURES = _parse_cultures(CULTURE_TEXT)

# Kinds without a built-in script of their own borrow the nearest one.
SCRIPT_FOR_KIND: dict[CircleKind, str] = {
    CircleKind.COMMUNITY_BUILDING: "community_building",
    CircleKind.CHECK_IN: "check_in_out",
    CircleKind.ACADEMIC: "academic",
    CircleKind.PROBLEM_SOLVING: "problem_solving",
    CircleKind.HARM_REPAIR: "harm_repair",
    CircleKind.REENTRY: "reentry",
    CircleKind.STAFF: "staff",
    CircleKind.CONFERENCE: "conference",
    CircleKind.PRE_MEETING: "problem_solving",
    CircleKind.COMPLETION_MEETING: "problem_solving",
    CircleKind.INDIVIDUAL_SUPPORT: "problem_solving",
    CircleKind.FAMILY: "community_building",
}

# Where an excluded demo case is handed, and on which FERPA basis.
HAND_OFF_FOR: dict[str, tuple[str, str]] = {
    "credible_threat": ("btam", "health_safety_emergency"),
    "title_ix": ("title_ix", "school_official"),
    "sexual_harm": ("title_ix", "school_official"),
    "child_protection": ("child_protection", "state_law_report"),
    "police_matter": ("police", "law_enforcement_unit"),
}

RECIPIENTS = {
    "btam": "Threat assessment team lead",
    "title_ix": "Title IX coordinator",
    "child_protection": "County child protection intake",
    "police": "School resource officer (law-enforcement unit)",
    "mental_health": "School-based mental-health clinician",
}
