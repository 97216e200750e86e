from django.db import migrations


def seed(apps, schema_editor):
    from veerkracht.pulses.bank import BANK

    Question = apps.get_model("pulses", "Question")
    for position, (key, category, scale, text_en, text_nl) in enumerate(BANK):
        Question.objects.update_or_create(
            organisation=None,
            key=key,
            defaults={
                "category": category,
                "scale": scale,
                "text_en": text_en,
                "text_nl": text_nl,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("pulses", "Question").objects.filter(organisation=None).delete()


class Migration(migrations.Migration):
    dependencies = [("pulses", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
