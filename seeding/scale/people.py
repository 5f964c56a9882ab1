"""Seeded people: their names, and the accounts doctors and patients share. Every
account has the one password and a verified primary email, so patients can book."""

from allauth.account.models import EmailAddress

from accounts.models import User

EMAIL_DOMAIN = "scale.medconnect.test"
PASSWORD = "scale-pass-2026"  # noqa: S105 - synthetic accounts of a load-test database

FIRST_NAMES = [
    "Aarav",
    "Aditi",
    "Akash",
    "Ananya",
    "Arjun",
    "Asha",
    "Deepa",
    "Divya",
    "Farah",
    "Gaurav",
    "Ishaan",
    "Kavya",
    "Kiran",
    "Lena",
    "Meera",
    "Mohan",
    "Neha",
    "Nikhil",
    "Omar",
    "Pooja",
    "Priya",
    "Rahul",
    "Ravi",
    "Rohan",
    "Sanjay",
    "Sara",
    "Shreya",
    "Sunil",
    "Tara",
    "Uma",
    "Varun",
    "Vikram",
    "Yusuf",
    "Zara",
    "Anil",
    "Bela",
    "Chitra",
    "Dev",
    "Esha",
    "Hari",
]
LAST_NAMES = [
    "Agarwal",
    "Bhat",
    "Chopra",
    "Das",
    "Desai",
    "Fischer",
    "Gupta",
    "Iyer",
    "Jain",
    "Joshi",
    "Kapoor",
    "Khan",
    "Kumar",
    "Mehta",
    "Menon",
    "Mishra",
    "Nair",
    "Patel",
    "Pillai",
    "Rao",
    "Reddy",
    "Saxena",
    "Shah",
    "Sharma",
    "Singh",
    "Sinha",
    "Verma",
    "Yadav",
    "Banerjee",
    "Chatterjee",
    "Dutta",
    "Ghosh",
    "Hegde",
    "Kulkarni",
    "Malhotra",
    "Naidu",
    "Pandey",
    "Qureshi",
    "Sethi",
]

USER_COLUMNS = ["id", "password", "email", "full_name", "role", "date_joined"]
EMAIL_COLUMNS = ["id", "user_id", "email", "verified", "primary"]


def person_name(rng):
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def write_accounts(writer, users, emails):
    writer.write(User, USER_COLUMNS, users)
    writer.write(EmailAddress, EMAIL_COLUMNS, emails)
