"""The standard question bank (Dutch and English), seeded by migration 0002.

Kept in one module so the migration, the demo and the tests read the same list. Changing a text
here does not change the database: write a new data migration.
"""

from __future__ import annotations

# (key, category, scale, English, Dutch)
BANK: list[tuple[str, str, str, str, str]] = [
    (
        "connection_team",
        "connection",
        "agree_5",
        "I feel connected to my team, even when I work from home.",
        "Ik voel me verbonden met mijn team, ook als ik thuis werk.",
    ),
    (
        "connection_contact",
        "connection",
        "agree_5",
        "In the past week I had enough contact with colleagues.",
        "Ik had de afgelopen week genoeg contact met collega's.",
    ),
    (
        "balance_combine",
        "work_life_balance",
        "agree_5",
        "I can combine my work well with my private life.",
        "Ik kan mijn werk goed combineren met mijn privéleven.",
    ),
    (
        "balance_switch_off",
        "work_life_balance",
        "agree_5",
        "I can switch off from work after my shift.",
        "Ik kan na mijn dienst loskomen van mijn werk.",
    ),
    (
        "lead_support",
        "lead_support",
        "agree_5",
        "My team lead supports me when I need it.",
        "Mijn teamleider steunt me als ik dat nodig heb.",
    ),
    (
        "lead_conversation",
        "lead_support",
        "agree_5",
        "I had a useful conversation with my team lead recently.",
        "Ik had onlangs een nuttig gesprek met mijn teamleider.",
    ),
    (
        "workload_manageable",
        "workload",
        "agree_5",
        "My workload is manageable.",
        "Mijn werkdruk is goed te doen.",
    ),
    (
        "workload_recover",
        "workload",
        "agree_5",
        "I have enough time between contacts to recover.",
        "Ik heb genoeg tijd tussen contacten om even bij te komen.",
    ),
    (
        "autonomy_say",
        "autonomy",
        "agree_5",
        "I have enough say in how I do my work.",
        "Ik heb genoeg invloed op hoe ik mijn werk doe.",
    ),
    (
        "growth_learning",
        "growth",
        "agree_5",
        "I am learning and developing in my work.",
        "Ik leer en ontwikkel me in mijn werk.",
    ),
    (
        "enps",
        "enps",
        "zero_ten",
        "How likely is it that you would recommend this organisation as a place to work to a friend?",
        "Hoe waarschijnlijk is het dat je deze organisatie als werkgever aanraadt aan een vriend?",
    ),
    (
        "open_comment",
        "open",
        "text",
        "Is there anything else you would like to share?",
        "Wil je verder nog iets kwijt?",
    ),
    # Health items: only for the personal wellbeing check, answered and kept on the agent's device.
    (
        "health_energy",
        "health",
        "agree_5",
        "I had enough energy this week.",
        "Ik had deze week genoeg energie.",
    ),
    (
        "health_exhaustion",
        "health",
        "agree_5",
        "I feel emotionally exhausted by my work.",
        "Ik voel me emotioneel uitgeput door mijn werk.",
    ),
    (
        "health_stress",
        "health",
        "agree_5",
        "I felt stressed this week.",
        "Ik heb me deze week gestrest gevoeld.",
    ),
    (
        "health_sleep",
        "health",
        "agree_5",
        "I slept well this week.",
        "Ik heb deze week goed geslapen.",
    ),
]

# One question per engagement theme: the default set of a new pulse (about two minutes).
DEFAULT_KEYS = [
    "connection_team",
    "balance_combine",
    "lead_support",
    "workload_manageable",
    "autonomy_say",
    "growth_learning",
    "enps",
    "open_comment",
]


def ensure_bank() -> None:
    """Create any missing standard question (migration 0002 does this once; a flushed test or
    demo database lost them). Cheap when complete: one query."""
    from .models import Question

    present = set(Question.objects.filter(organisation=None).values_list("key", flat=True))
    if len(present) >= len(BANK):
        return
    for position, (key, category, scale, text_en, text_nl) in enumerate(BANK):
        if key not in present:
            Question.objects.create(
                organisation=None,
                key=key,
                category=category,
                scale=scale,
                text_en=text_en,
                text_nl=text_nl,
                position=position,
            )
