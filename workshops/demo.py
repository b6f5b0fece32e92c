"""Demo data a Southeast Asia specialist would recognise, built from the
public facts (an ISEAS commentary of 2025 on China's 2+2
diplomacy, an RSIS commentary of March 2025 on Track-2 in ASEAN). People are
invented; networks, institutes and Track-1 mechanisms are real."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select

from .audit.operations import unit_of_work
from .auth.models import User
from .auth.operations import hash_password
from .core.zones import to_utc
from .extensions import db
from .outcomes.models import Recommendation, Track1Body, Track1BodyMember, UptakeEvent
from .people.models import Participation, Person, issue_personal_token
from .programme.models import (
    AgendaItem,
    AgendaItemPerson,
    MemberInstitute,
    Network,
    Series,
    SeriesStatusChange,
    Theme,
    Workshop,
)

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  (demo data only; never in production)
ASEAN = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"]

THEMES = [
    ("climate-resilience", "Climate resilience", True),
    ("hadr", "Humanitarian assistance and disaster relief (HADR)", True),
    ("disaster-response", "Natural disaster response", True),
    ("public-health", "Public health", True),
    ("maritime-security", "Maritime security", True),
    ("counter-terrorism", "Counter-terrorism", True),
    ("cyber-security", "Cyber security", True),
    ("transnational-crime", "Transnational crime", True),
    ("myanmar-crisis", "The Myanmar crisis", False),
    ("korean-peninsula", "The Korean peninsula", False),
    ("south-china-sea", "The South China Sea", False),
]

NETWORKS = [
    ("cscap", "CSCAP", "Council for Security Cooperation in the Asia Pacific", 1993,
     "The Track-2 counterpart of the ASEAN Regional Forum; its member committees include North Korea's."),
    ("nadi", "NADI", "Network of ASEAN Defence and Security Institutions", 2007,
     "The Track-2 network of the ASEAN Defence Ministers' Meeting (ADMM)."),
    ("asean-isis", "ASEAN-ISIS", "ASEAN Institutes of Strategic and International Studies", 1988,
     "The network of ASEAN think tanks that convenes the Asia-Pacific Roundtable."),
]

# name, acronym, country, city, networks
INSTITUTES = [
    ("S. Rajaratnam School of International Studies", "RSIS", "SG", "Singapore", ["CSCAP", "NADI", "ASEAN-ISIS"]),
    ("Institute of Strategic and International Studies Malaysia", "ISIS Malaysia", "MY", "Kuala Lumpur",
     ["CSCAP", "ASEAN-ISIS"]),
    ("Centre for Strategic and International Studies", "CSIS Indonesia", "ID", "Jakarta", ["CSCAP", "ASEAN-ISIS"]),
    ("Institute of Security and International Studies", "ISIS Thailand", "TH", "Bangkok", ["ASEAN-ISIS"]),
    ("Stratbase ADR Institute", "ADRi", "PH", "Manila", ["ASEAN-ISIS"]),
    ("Diplomatic Academy of Vietnam", "DAV", "VN", "Hanoi", ["CSCAP", "ASEAN-ISIS"]),
    ("Cambodian Institute for Cooperation and Peace", "CICP", "KH", "Phnom Penh", ["CSCAP", "ASEAN-ISIS"]),
    ("Malaysian Institute of Defence and Security", "MiDAS", "MY", "Kuala Lumpur", ["NADI"]),
    ("Institute for Defence Strategy", "IDS Vietnam", "VN", "Hanoi", ["NADI"]),
    ("Strategic Studies Center, National Defence Studies Institute", "SSC Thailand", "TH", "Bangkok", ["NADI"]),
    ("Indonesia Defense University", "IDU", "ID", "Bogor", ["NADI"]),
    ("Japan Institute of International Affairs", "JIIA", "JP", "Tokyo", ["CSCAP"]),
]

# slug, network, name, kind, description, lifecycle [(status, date, note)]
SERIES = [
    ("cscap-sg-maritime", "CSCAP", "CSCAP Study Group on Maritime Security Cooperation", "study_group",
     "Confidence building at sea: incidents, search and rescue, marine environment.",
     [("active", "2016-03-01", "Mandated by the CSCAP Steering Committee."),
      ("dormant", "2020-04-01", "Suspended during the pandemic."),
      ("revived", "2024-01-15", "Revived with a new mandate on the South China Sea code of conduct.")]),
    ("cscap-general-conference", "CSCAP", "CSCAP General Conference", "annual_meeting",
     "The biennial plenary of all member committees.",
     [("active", "1997-12-01", "")]),
    ("nadi-annual-meeting", "NADI", "NADI Annual Meeting", "annual_meeting",
     "Heads of the defence institutions meet before the ADMM Retreat.",
     [("active", "2007-04-01", "Founded at the first meeting in Singapore.")]),
    ("nadi-hadr-workshop", "NADI", "NADI Workshop on Humanitarian Assistance and Disaster Relief", "workshop_series",
     "Practical cooperation among ASEAN militaries in disaster response.",
     [("active", "2012-09-01", ""), ("dormant", "2019-01-01", "No host came forward."),
      ("revived", "2024-02-01", "Revived by MiDAS after the 2023 floods.")]),
    ("apr", "ASEAN-ISIS", "Asia-Pacific Roundtable", "roundtable_series",
     "The flagship Track-2 conference of ASEAN-ISIS, held in Kuala Lumpur.",
     [("active", "1987-06-01", "")]),
    ("asean-isis-climate", "ASEAN-ISIS", "ASEAN-ISIS Dialogue on Climate Resilience", "workshop_series",
     "Depoliticised cooperation on climate adaptation and food security.",
     [("active", "2024-05-01", "Launched after the RSIS call for depoliticised Track-2 cooperation.")]),
]

TRACK1 = [
    # name, acronym, kind, level, parent, established, members
    ("ASEAN Summit", "ASEAN Summit", "summit", "leaders", None, "1976", ASEAN),
    ("East Asia Summit", "EAS", "summit", "leaders", None, "2005",
     ASEAN + ["AU", "CN", "IN", "JP", "NZ", "KR", "RU", "US"]),
    ("ASEAN Regional Forum", "ARF", "regional_forum", "ministerial", None, "1994",
     ASEAN + ["AU", "BD", "CA", "CN", "IN", "JP", "KP", "KR", "MN", "NZ", "PK", "PG", "RU", "LK", "TL", "US"]),
    ("ARF Senior Officials' Meeting", "ARF SOM", "working_group", "senior_officials", "ARF", "1994", []),
    ("ARF Inter-Sessional Meeting on Disaster Relief", "ARF ISM-DR", "working_group", "working", "ARF", "1997", []),
    ("ARF Inter-Sessional Meeting on Maritime Security", "ARF ISM-MS", "working_group", "working", "ARF", "2009",
     []),
    ("ASEAN Defence Ministers' Meeting", "ADMM", "ministerial_meeting", "ministerial", None, "2006", ASEAN),
    ("ADMM-Plus", "ADMM-Plus", "ministerial_meeting", "ministerial", "ADMM", "2010",
     ASEAN + ["AU", "CN", "IN", "JP", "NZ", "KR", "RU", "US"]),
    ("ADMM-Plus Experts' Working Group on HADR", "ADMM-Plus EWG HADR", "working_group", "working", "ADMM-Plus",
     "2011", []),
    ("ADMM-Plus Experts' Working Group on Maritime Security", "ADMM-Plus EWG MS", "working_group", "working",
     "ADMM-Plus", "2011", []),
    ("US–Japan Security Consultative Committee (2+2)", "US–Japan 2+2", "bilateral_dialogue", "ministerial", None,
     "1960; full cabinet level from 1995", ["US", "JP"]),
    ("China–South Korea 2+2 dialogue", "China–ROK 2+2", "bilateral_dialogue", "director_general", None, "2002",
     ["CN", "KR"]),
    ("China–Russia strategic security consultations", "", "bilateral_dialogue", "senior_officials", None,
     "2005 (Politburo member / security council secretary)", ["CN", "RU"]),
    ("US–Indonesia 2+2 senior officials' dialogue", "US–Indonesia 2+2", "bilateral_dialogue", "senior_officials",
     None, "October 2023", ["US", "ID"]),
    ("China–Vietnam 3+3 strategic dialogue (diplomacy, defence, public security)", "China–Vietnam 3+3",
     "bilateral_dialogue", "vice_ministerial", None,
     "December 2024 (vice-ministerial); ministerial level agreed April 2025", ["CN", "VN"]),
    ("China–Indonesia joint foreign and defence ministers' dialogue", "China–Indonesia 2+2", "bilateral_dialogue",
     "ministerial", None, "April 2025", ["CN", "ID"]),
    ("China–Malaysia joint foreign and defence dialogue", "China–Malaysia 2+2", "bilateral_dialogue", None, None,
     "agreed April 2025", ["CN", "MY"]),
    ("China–Cambodia foreign and defence ministers' strategic dialogue", "China–Cambodia 2+2",
     "bilateral_dialogue", "ministerial", None, "agreed April 2025", ["CN", "KH"]),
]

# Invented people: given names and family names by country.
NAMES = {
    "SG": (["Wei Ling", "Kumar", "Hui Min", "Farid", "Rachel"], ["Tan", "Raj", "Lim", "Osman", "Goh"]),
    "MY": (["Aisyah", "Hafiz", "Mei Yee", "Arjun", "Nurul"], ["Abdullah", "Rahman", "Wong", "Pillai", "Ismail"]),
    "ID": (["Dewi", "Rizal", "Ayu", "Bambang", "Sari"], ["Santoso", "Wibowo", "Lestari", "Hidayat", "Putri"]),
    "TH": (["Somchai", "Nattaya", "Kittisak", "Pimchanok"], ["Srisuk", "Chaiyaporn", "Wongsawat", "Boonmee"]),
    "PH": (["Maria", "Jose", "Andrea", "Ramon"], ["Santos", "Reyes", "Dela Cruz", "Bautista"]),
    "VN": (["Thu Ha", "Minh", "Lan", "Quang"], ["Nguyen", "Tran", "Le", "Pham"]),
    "KH": (["Sokha", "Dara", "Chenda"], ["Chea", "Sok", "Kim"]),
    "JP": (["Yuko", "Takeshi", "Haruka"], ["Sato", "Watanabe", "Kobayashi"]),
    "AU": (["Emma", "Liam"], ["Clarke", "Nguyen"]),
    "US": (["Sarah", "Michael"], ["Miller", "Johnson"]),
    "CN": (["Wang", "Li"], ["Jun", "Na"]),
    "KR": (["Ji-woo", "Min-jun"], ["Park", "Kim"]),
}
SECTOR_CYCLE = ["academia", "academia", "government", "military", "civil_society", "academia",
                "international_org", "academia", "government", "private_sector"]
AFFILIATIONS = {
    "academia": "{inst}",
    "government": "Ministry of Foreign Affairs ({country})",
    "military": "Armed Forces ({country})",
    "civil_society": "Asia Disaster Preparedness Network",
    "international_org": "AHA Centre",
    "private_sector": "Straits Maritime Consultancy",
}

# slug, series, title, host, city, country, tz, start, days, format, visibility, status, themes
WORKSHOPS = [
    ("cscap-maritime-2024", "cscap-sg-maritime", "CSCAP Study Group on Maritime Security: a code of conduct at sea",
     "CSIS Indonesia", "Jakarta", "ID", "Asia/Jakarta", "2024-03-12", 2, "in_person", "public", "published",
     ["maritime-security", "south-china-sea"]),
    ("nadi-hadr-2024", "nadi-hadr-workshop", "NADI Workshop on HADR: civil–military coordination after the floods",
     "MiDAS", "Kuala Lumpur", "MY", "Asia/Kuala_Lumpur", "2024-06-18", 2, "in_person", "participants",
     "published", ["hadr", "disaster-response"]),
    ("apr-2024", "apr", "37th Asia-Pacific Roundtable", "ISIS Malaysia", "Kuala Lumpur", "MY", "Asia/Kuala_Lumpur",
     "2024-08-20", 3, "hybrid", "public", "published", ["south-china-sea", "myanmar-crisis", "climate-resilience"]),
    ("cscap-gc-2024", "cscap-general-conference", "CSCAP General Conference: the Korean peninsula and beyond",
     "JIIA", "Tokyo", "JP", "Asia/Tokyo", "2024-12-09", 2, "in_person", "participants", "published",
     ["korean-peninsula", "cyber-security"]),
    ("nadi-annual-2025", "nadi-annual-meeting", "NADI Annual Meeting 2025", "MiDAS", "Kuala Lumpur", "MY",
     "Asia/Kuala_Lumpur", "2025-03-04", 2, "in_person", "participants", "published",
     ["counter-terrorism", "maritime-security"]),
    ("asean-isis-climate-2025", "asean-isis-climate", "ASEAN-ISIS Dialogue on Climate Resilience and Food Security",
     "ISIS Thailand", "Bangkok", "TH", "Asia/Bangkok", "2025-05-27", 2, "hybrid", "public", "published",
     ["climate-resilience", "public-health"]),
    ("cscap-maritime-2025", "cscap-sg-maritime", "CSCAP Study Group on Maritime Security: incidents at sea",
     "DAV", "Hanoi", "VN", "Asia/Ho_Chi_Minh", "2025-09-16", 2, "in_person", "private", "published",
     ["maritime-security", "transnational-crime"]),
    ("nadi-hadr-2025", "nadi-hadr-workshop", "NADI Workshop on HADR: pandemic-ready militaries", "SSC Thailand",
     "Bangkok", "TH", "Asia/Bangkok", "2025-12-30", 3, "in_person", "participants", "published",
     ["hadr", "public-health"]),
    ("apr-2026", "apr", "39th Asia-Pacific Roundtable", "ISIS Malaysia", "Kuala Lumpur", "MY", "Asia/Kuala_Lumpur",
     "2026-06-09", 3, "hybrid", "public", "published", ["south-china-sea", "cyber-security", "myanmar-crisis"]),
    ("asean-isis-climate-2026", "asean-isis-climate", "ASEAN-ISIS Online Dialogue: early warning for floods",
     "ADRi", "", None, "Asia/Manila", "2026-09-22", 1, "online", "public", "published",
     ["disaster-response", "climate-resilience"]),
    ("nadi-hadr-2026", "nadi-hadr-workshop", "NADI Workshop on HADR: logistics hubs and pre-positioning",
     "IDU", "Bogor", "ID", "Asia/Jakarta", "2026-12-08", 2, "in_person", "public", "published",
     ["hadr", "disaster-response"]),
    ("cscap-maritime-2027", "cscap-sg-maritime", "CSCAP Study Group on Maritime Security: draft agenda",
     "RSIS", "Singapore", "SG", "Asia/Singapore", "2027-03-16", 2, "in_person", "participants", "draft",
     ["maritime-security"]),
]

# One day of a workshop: (start, end, kind, title, room)
DAY_PLAN = [
    ("08:30", "09:00", "other", "Registration", "Foyer"),
    ("09:00", "09:30", "opening", "Opening remarks", "Main hall"),
    ("09:30", "11:00", "panel", "Panel {n}: {theme}", "Main hall"),
    ("11:00", "11:20", "break", "Coffee break", "Foyer"),
    ("11:20", "12:45", "roundtable", "Roundtable {n}: {theme} — what can Track-1 do?", "Room B"),
    ("12:45", "14:00", "meal", "Lunch", "Restaurant"),
    ("14:00", "15:30", "session", "Session {n}: drafting the recommendations", "Main hall"),
    ("15:30", "16:00", "closing", "Closing and next steps", "Main hall"),
]

# Recommendations: workshop slug, title, text, themes, targets, priority, events [(stage, date, body, kind, title)],
# closure (as, on, reason) or None
RECOMMENDATIONS = [
    ("cscap-maritime-2024", "Hotline among coast guards",
     "Establish a 24-hour hotline among ASEAN coast guards for incidents at sea.",
     ["maritime-security"], ["ARF ISM-MS"], "high",
     [("transmitted", "2024-04-20", "ARF SOM", "document", "Memorandum handed to ARF senior officials"),
      ("acknowledged", "2024-07-26", "ARF", "statement", "ARF Chairman's Statement, paragraph 41"),
      ("adopted", "2025-04-10", "ARF ISM-MS", "document", "ARF ISM-MS work plan 2025–2027 adopts the hotline"),
      ("implemented", "2026-02-18", "ARF ISM-MS", "meeting", "First hotline table-top exercise held in Manila")],
     None),
    ("cscap-maritime-2024", "Shared incident database",
     "Build a shared, unclassified database of incidents at sea in the South China Sea.",
     ["maritime-security", "south-china-sea"], ["ARF"], "medium",
     [("transmitted", "2024-04-20", "ARF SOM", "document", "Memorandum handed to ARF senior officials")],
     None),
    ("cscap-maritime-2024", "Environmental cooperation in disputed waters",
     "Start joint marine scientific research on coral reef protection, setting sovereignty aside.",
     ["south-china-sea", "climate-resilience"], ["EAS", "ARF"], "medium",
     [("transmitted", "2024-05-02", "EAS", "document", "Letter to the EAS Senior Officials' Meeting"),
      ("acknowledged", "2024-10-11", "EAS", "statement", "EAS Chairman's Statement welcomes the idea")],
     None),
    ("nadi-hadr-2024", "Standby arrangements for military assets",
     "Update the ASEAN standby arrangements so military assets can deploy within 48 hours.",
     ["hadr"], ["ADMM", "ADMM-Plus EWG HADR"], "high",
     [("transmitted", "2024-07-15", "ADMM", "document", "NADI report submitted to the ADMM"),
      ("acknowledged", "2024-11-21", "ADMM", "statement", "ADMM joint declaration notes the NADI report"),
      ("adopted", "2025-03-05", "ADMM-Plus EWG HADR", "document", "EWG HADR work plan includes 48-hour standby")],
     None),
    ("nadi-hadr-2024", "Civil–military coordination centre",
     "Co-locate a military liaison cell with the AHA Centre in Jakarta.",
     ["hadr", "disaster-response"], ["ADMM"], "high",
     [("transmitted", "2024-07-15", "ADMM", "document", "NADI report submitted to the ADMM"),
      ("acknowledged", "2024-11-21", "ADMM", "statement", "ADMM joint declaration notes the proposal")],
     None),
    ("nadi-hadr-2024", "Common HADR training curriculum",
     "Agree a common HADR training curriculum for ASEAN military academies.",
     ["hadr"], ["ADMM-Plus EWG HADR"], "low", [], None),
    ("apr-2024", "ASEAN special envoy continuity",
     "Make the ASEAN special envoy on Myanmar a multi-year post to keep continuity across chairmanships.",
     ["myanmar-crisis"], ["ASEAN Summit"], "high",
     [("transmitted", "2024-09-30", "ASEAN Summit", "document", "APR summary report sent to the ASEAN Secretariat"),
      ("acknowledged", "2025-05-27", "ASEAN Summit", "statement",
       "Chairman's statement under Malaysia's 2025 chairmanship refers to continuity of the envoy")],
     None),
    ("apr-2024", "Code of conduct: interim measures",
     "Agree interim confidence-building measures while the code of conduct is negotiated.",
     ["south-china-sea"], ["ARF", "EAS"], "high",
     [("transmitted", "2024-09-30", "ARF SOM", "document", "APR summary report sent to ARF senior officials")],
     None),
    ("apr-2024", "Regional climate finance facility",
     "Set up a regional facility pooling climate adaptation finance for coastal cities.",
     ["climate-resilience"], ["ASEAN Summit"], "medium", [],
     ("superseded", "2025-06-30", "Overtaken by the ASEAN Climate Change Centre's own finance window.")),
    ("cscap-gc-2024", "Humanitarian channel with North Korea",
     "Keep a Track-2 humanitarian channel open with North Korean participation in CSCAP.",
     ["korean-peninsula"], ["ARF"], "medium",
     [("transmitted", "2025-01-20", "ARF SOM", "document", "CSCAP memorandum to the ARF")],
     None),
    ("cscap-gc-2024", "Norms for critical infrastructure",
     "Adopt voluntary norms protecting critical infrastructure from cyber attack.",
     ["cyber-security"], ["ARF", "EAS"], "high",
     [("transmitted", "2025-01-20", "ARF SOM", "document", "CSCAP memorandum No. 32 to the ARF"),
      ("acknowledged", "2025-07-11", "ARF", "statement", "ARF ministers welcome CSCAP's work on cyber norms"),
      ("adopted", "2025-10-28", "EAS", "document", "EAS leaders' statement on cyber security cites the norms")],
     None),
    ("cscap-gc-2024", "Nuclear risk reduction dialogue",
     "Start a regional nuclear risk reduction dialogue including the DPRK.",
     ["korean-peninsula"], ["ARF"], "low", [],
     ("declined", "2025-07-11", "ARF senior officials said the timing was not right.")),
    ("nadi-annual-2025", "Counter-terrorism information sharing",
     "Link the ASEAN Our Eyes initiative with NADI research on online radicalisation.",
     ["counter-terrorism"], ["ADMM"], "medium",
     [("transmitted", "2025-04-15", "ADMM", "document", "NADI report to the ADMM Retreat"),
      ("acknowledged", "2025-11-01", "ADMM", "statement", "ADMM joint declaration notes the proposal")],
     None),
    ("nadi-annual-2025", "Guidelines for air encounters",
     "Extend the ADMM guidelines for maritime interaction to military aircraft.",
     ["maritime-security"], ["ADMM", "ADMM-Plus"], "high",
     [("transmitted", "2025-04-15", "ADMM", "document", "NADI report to the ADMM Retreat"),
      ("acknowledged", "2025-11-01", "ADMM", "meeting", "ADMM tasks senior officials to study air guidelines"),
      ("adopted", "2026-03-12", "ADMM-Plus", "document", "ADMM-Plus adopts guidelines for air military encounters")],
     None),
    ("nadi-annual-2025", "Women, peace and security in defence",
     "Set targets for women in ASEAN peacekeeping contingents.",
     ["counter-terrorism"], ["ADMM"], "low",
     [("transmitted", "2025-04-15", "ADMM", "document", "NADI report to the ADMM Retreat")], None),
    ("asean-isis-climate-2025", "Early warning data sharing",
     "Share flood and drought early-warning data across ASEAN meteorological services.",
     ["climate-resilience", "disaster-response"], ["ASEAN Summit", "EAS"], "high",
     [("transmitted", "2025-06-20", "ASEAN Summit", "document", "Dialogue report to the ASEAN Secretariat"),
      ("acknowledged", "2025-10-26", "ASEAN Summit", "statement", "47th ASEAN Summit chairman's statement"),
      ("adopted", "2026-05-08", "EAS", "document", "EAS senior officials' work plan includes data sharing"),
      ("implemented", "2026-10-02", "EAS", "press", "Regional flood data portal launched")],
     None),
    ("asean-isis-climate-2025", "Food security reserve",
     "Expand the ASEAN Plus Three emergency rice reserve to cover climate shocks.",
     ["climate-resilience"], ["ASEAN Summit"], "medium",
     [("transmitted", "2025-06-20", "ASEAN Summit", "document", "Dialogue report to the ASEAN Secretariat")], None),
    ("asean-isis-climate-2025", "Heat and public health",
     "Create a regional heat-health warning protocol with the ASEAN health ministers.",
     ["public-health", "climate-resilience"], ["ASEAN Summit"], "medium", [], None),
    ("asean-isis-climate-2025", "Climate security in the US–Indonesia 2+2",
     "Put climate security on the agenda of the US–Indonesia 2+2 senior officials' dialogue.",
     ["climate-resilience"], ["US–Indonesia 2+2"], "low",
     [("transmitted", "2025-07-01", "US–Indonesia 2+2", "meeting", "Briefing to both delegations in Jakarta")],
     None),
    ("cscap-maritime-2025", "Coast guard 3+3 channel",
     "Use the China–Vietnam 3+3 dialogue to agree coast guard communication procedures.",
     ["maritime-security"], ["China–Vietnam 3+3"], "high",
     [("transmitted", "2025-10-10", "China–Vietnam 3+3", "document", "Study group memorandum to both capitals"),
      ("acknowledged", "2026-04-15", "China–Vietnam 3+3", "statement",
       "Joint press statement after the ministerial 3+3 mentions coast guard procedures")],
     None),
    ("cscap-maritime-2025", "Illegal fishing task force",
     "Form a regional task force against illegal, unreported and unregulated fishing.",
     ["transnational-crime", "maritime-security"], ["ARF ISM-MS"], "medium", [], None),
    ("cscap-maritime-2025", "Maritime dialogue with Indonesia and China",
     "Add maritime incident management to the China–Indonesia joint foreign and defence ministers' dialogue.",
     ["maritime-security", "south-china-sea"], ["China–Indonesia 2+2"], "medium",
     [("transmitted", "2025-10-10", "China–Indonesia 2+2", "document", "Study group memorandum")], None),
    ("nadi-hadr-2025", "Pandemic-ready field hospitals",
     "Pre-agree rules for deploying military field hospitals across borders in a pandemic.",
     ["public-health", "hadr"], ["ADMM-Plus EWG HADR"], "high",
     [("transmitted", "2026-02-10", "ADMM", "document", "NADI workshop report to the ADMM"),
      ("acknowledged", "2026-06-30", "ADMM-Plus EWG HADR", "meeting", "EWG HADR co-chairs take up the proposal")],
     None),
    ("nadi-hadr-2025", "Medical countermeasures stockpile",
     "Stockpile medical countermeasures at the ASEAN regional HADR depots.",
     ["public-health"], ["ADMM"], "medium",
     [("transmitted", "2026-02-10", "ADMM", "document", "NADI workshop report to the ADMM")], None),
    ("nadi-hadr-2025", "Cambodia 2+2 on disaster response",
     "Include disaster response in the China–Cambodia foreign and defence ministers' strategic dialogue.",
     ["hadr"], ["China–Cambodia 2+2"], "low", [],
     ("withdrawn", "2026-03-01", "The host institute withdrew it pending consultations.")),
    ("apr-2026", "Cyber incident notification",
     "Agree a 72-hour notification window for significant state-linked cyber incidents.",
     ["cyber-security"], ["ARF", "EAS"], "high",
     [("transmitted", "2026-07-20", "ARF SOM", "document", "APR report to ARF senior officials"),
      ("acknowledged", "2026-08-01", "ARF", "statement", "ARF Chairman's Statement notes the proposal")],
     None),
    ("apr-2026", "Myanmar humanitarian corridor",
     "Support a monitored humanitarian corridor into Myanmar under the AHA Centre.",
     ["myanmar-crisis", "hadr"], ["ASEAN Summit"], "high",
     [("transmitted", "2026-07-20", "ASEAN Summit", "document", "APR report to the ASEAN Secretariat")], None),
    ("apr-2026", "Malaysia–China 2+2 and the South China Sea",
     "Use the China–Malaysia joint foreign and defence dialogue for incident prevention.",
     ["south-china-sea"], ["China–Malaysia 2+2"], "medium", [], None),
    ("asean-isis-climate-2026", "Community flood warning",
     "Fund last-mile flood warnings through village radio networks.",
     ["disaster-response", "climate-resilience"], ["ASEAN Summit"], "medium", [], None),
]


def database_is_empty() -> bool:
    return not db.session.scalar(select(func.count(Network.id))) and not db.session.scalar(
        select(func.count(User.id))
    )


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def load() -> dict[str, int]:
    """Load everything in one unit of work: all of it, or nothing."""
    rng = random.Random(2025)  # noqa: S311 (demo data, not security)
    with unit_of_work(system="demo data", note="flask load-demo"):
        session = db.session
        themes = {slug: Theme(slug=slug, name=name, non_traditional=nt) for slug, name, nt in THEMES}
        session.add_all(themes.values())
        networks = {}
        for slug, acronym, name, founded, description in NETWORKS:
            networks[acronym] = Network(slug=slug, acronym=acronym, name=name, founded_year=founded,
                                        description=description)
        session.add_all(networks.values())
        institutes = {}
        for name, acronym, country, city, nets in INSTITUTES:
            inst = MemberInstitute(name=name, acronym=acronym, country=country, city=city)
            inst.networks = [networks[n] for n in nets]
            institutes[acronym] = inst
        session.add_all(institutes.values())
        series = {}
        for slug, net, name, kind, description, life in SERIES:
            s = Series(slug=slug, network=networks[net], name=name, kind=kind, description=description)
            s.status_changes = [SeriesStatusChange(status=st, effective_on=_d(d), note=n) for st, d, n in life]
            series[slug] = s
        session.add_all(series.values())

        bodies = {}
        for name, acronym, kind, level, parent, established, members in TRACK1:
            body = Track1Body(name=name, acronym=acronym, kind=kind, level=level, established=established,
                              parent=bodies.get(parent))
            body.members = [Track1BodyMember(country=c) for c in sorted(set(members))]
            bodies[acronym or name] = body
        session.add_all(bodies.values())

        people = _people(rng)
        session.add_all(people)

        users = {
            "admin": User(email="admin@example.org", name="Ayesha Admin", role="admin"),
            "organiser": User(email="organiser@example.org", name="Omar Organiser", role="organiser"),
            "organiser-cscap": User(email="cscap-organiser@example.org", name="Clara CSCAP", role="organiser"),
            "viewer": User(email="viewer@example.org", name="Vera Viewer", role="viewer"),
        }
        password_hash = hash_password(DEMO_PASSWORD)
        for user in users.values():
            user.password_hash = password_hash
        users["organiser"].networks = [networks["NADI"], networks["ASEAN-ISIS"]]
        users["organiser-cscap"].networks = [networks["CSCAP"]]
        session.add_all(users.values())

        workshops = {}
        for number, row in enumerate(WORKSHOPS):
            (slug, series_slug, title, host, city, country, tz, start, days, fmt, visibility, status,
             theme_slugs) = row
            start_date = _d(start)
            w = Workshop(
                slug=slug, title=title, series=series[series_slug], host=institutes[host], city=city,
                country=country, timezone=tz, start_date=start_date,
                end_date=start_date + dt.timedelta(days=days - 1), format=fmt, visibility=visibility,
                status=status, chatham_house=number % 3 != 2,
                venue="" if fmt == "online" else f"{institutes[host].acronym} conference centre",
                objectives=f"Bring scholars and officials in their private capacity together on "
                           f"{', '.join(themes[t].name for t in theme_slugs)}, and agree recommendations "
                           f"for Track-1.",
                rules=("Chatham House rule. No media. Business attire." if number % 3 != 2
                       else "On the record: remarks may be quoted with the speaker's name. Business attire."),
            )
            w.themes = [themes[t] for t in theme_slugs]
            workshops[slug] = w
            participations = _participants(rng, w, people, number)
            session.add(w)
            session.add_all(participations)
            _agenda(w, participations, [themes[t].name for t in theme_slugs])

        events_count = 0
        users_for_events = [users["admin"], users["organiser"], users["organiser-cscap"]]
        for index, (ws, title, text, theme_slugs, targets, priority, events, closure) in enumerate(RECOMMENDATIONS):
            w = workshops[ws]
            rec = Recommendation(
                workshop=w, title=title, text=text, priority=priority,
                reference=f"{w.series.network.acronym}-{w.start_date.year}-{index + 1:02d}",
            )
            rec.themes = [themes[t] for t in theme_slugs]
            rec.targets = [bodies[t] for t in targets]
            if closure:
                rec.closed_as, on, rec.closed_reason = closure
                rec.closed_on = _d(on)
            for stage, on, body, kind, event_title in events:
                rec.events.append(UptakeEvent(
                    stage=stage, occurred_on=_d(on), track1_body=bodies[body], evidence_kind=kind,
                    title=event_title, reference=f"https://asean.org/documents/{_d(on).year}/{index + 1}",
                    excerpt="", recorded_by=users_for_events[index % 3],
                ))
                events_count += 1
            session.add(rec)
    return {
        "networks": len(NETWORKS), "institutes": len(INSTITUTES), "series": len(SERIES),
        "workshops": len(WORKSHOPS), "people": len(people), "recommendations": len(RECOMMENDATIONS),
        "uptake events": events_count, "Track-1 bodies": len(TRACK1), "users": 4,
    }


def _people(rng: random.Random) -> list[Person]:
    people = []
    seen = set()
    n = 0
    for country, (given, family) in NAMES.items():
        for g in given:
            for f in family[: 2 if len(family) > 2 else 1]:
                name = f"{g} {f}" if country not in ("CN", "KR", "VN", "KH") else f"{f} {g}"
                if name in seen:
                    continue
                seen.add(name)
                sector = SECTOR_CYCLE[n % len(SECTOR_CYCLE)]
                honorific = {"military": "Col.", "government": "Amb." if n % 4 == 0 else ""}.get(
                    sector, "Dr" if n % 3 == 0 else "")
                inst = next((i[1] for i in INSTITUTES if i[2] == country), "Independent scholar")
                affiliation = AFFILIATIONS[sector].format(inst=inst, country=country)
                email = f"{name.lower().replace(' ', '.').replace('-', '')}@example.org"
                people.append(Person(full_name=name, honorific=honorific, email=email, country=country,
                                     sector=sector, affiliation=affiliation,
                                     phone=f"+65 6{rng.randint(100, 999)} {rng.randint(1000, 9999)}"))
                n += 1
    return people


def _participants(rng: random.Random, w: Workshop, people: list[Person], number: int) -> list[Participation]:
    """About 20 people a workshop; some return from earlier workshops."""
    chosen = rng.sample(people, k=min(len(people), 18 + number % 5))
    past = w.start_date < dt.date(2026, 11, 1)
    out = []
    for i, person in enumerate(chosen):
        role = ["chair", "speaker", "speaker", "discussant", "rapporteur"][i] if i < 5 else \
            ("speaker" if i < 9 else ("observer" if i % 7 == 0 else "participant"))
        if past:
            status = "attended" if i % 11 != 10 else "no_show"
        else:
            status = ["confirmed", "confirmed", "invited", "declined"][i % 4] if i >= 9 else "confirmed"
        participation = Participation(
            workshop=w, person=person, role=role, status=status, sector=person.sector, country=person.country,
            affiliation=person.affiliation, serving_official=person.sector in ("government", "military") and i % 2 == 0,
            consent_to_list=i % 6 != 5,
            # Scholars mostly agree to be named on the public agenda; officials in
            # their private capacity mostly do not.
            consent_to_be_named=person.sector not in ("government", "military") and i % 4 != 3,
        )
        issue_personal_token(participation)
        out.append(participation)
    return out


def _agenda(w: Workshop, participations: list[Participation], theme_names: list[str]) -> None:
    zone = w.zone
    speakers = [p for p in participations if p.role in ("speaker", "discussant")]
    chairs = [p for p in participations if p.role in ("chair", "rapporteur")] or participations[:1]
    n = 0
    for day_index, day in enumerate(w.days()):
        plan = DAY_PLAN if day_index == 0 else [row for row in DAY_PLAN if row[2] not in ("opening", "other")]
        if day_index < len(w.days()) - 1:
            plan = [row for row in plan if row[2] != "closing"]
        for start, end, kind, title, room in plan:
            n += 1
            theme = theme_names[n % len(theme_names)]
            item = AgendaItem(
                workshop=w, kind=kind, title=title.format(n=n, theme=theme),
                room="Online" if w.format == "online" else room,
                starts_at=to_utc(day, dt.time.fromisoformat(start), zone),
                ends_at=to_utc(day, dt.time.fromisoformat(end), zone),
                description=f"Discussion of {theme.lower()}." if kind in ("panel", "roundtable", "session") else "",
            )
            if kind in ("panel", "roundtable", "session", "opening", "closing"):
                item.people.append(AgendaItemPerson(participation=chairs[n % len(chairs)], role="chair", position=0))
            if kind in ("panel", "roundtable") and speakers:
                for k in range(3):
                    item.people.append(AgendaItemPerson(
                        participation=speakers[(n + k) % len(speakers)], role="speaker", position=k + 1))
                item.people = _unique(item.people)
            w.agenda_items.append(item)


def _unique(people: list[AgendaItemPerson]) -> list[AgendaItemPerson]:
    seen, out = set(), []
    for p in people:
        key = (id(p.participation), p.role)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
