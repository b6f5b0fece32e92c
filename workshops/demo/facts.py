"""The real Track-2 networks, their member institutes, the themes, the
Track-1 bodies they address and the names people are invented from: the
facts both the demo (loader.py) and the data generator (synthetic.py) are
built on. Networks, institutes and Track-1 mechanisms are real (an ISEAS
commentary of 2025 on China's 2+2 diplomacy, an RSIS commentary of March
2025 on Track-2 in ASEAN); people are invented.
"""

from __future__ import annotations

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
