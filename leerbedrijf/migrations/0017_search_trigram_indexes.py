# The search box (issue 16): trigram indexes on the names it searches, on PostgreSQL only (see stagegids/search.py).

from django.db import migrations

from stagegids.search import trigram_index


class Migration(migrations.Migration):
    dependencies = [
        ("leerbedrijf", "0016_dutch_field_labels"),
        ("stagegids", "0009_search_trigram_and_unaccent"),
    ]

    operations = [
        trigram_index("leerbedrijf_stagiair_name_trgm", "leerbedrijf_stagiair", "name"),
        trigram_index("leerbedrijf_leerbedrijf_name_trgm", "leerbedrijf_leerbedrijf", "name"),
        trigram_index("leerbedrijf_onderwijsinstelling_name_trgm", "leerbedrijf_onderwijsinstelling", "name"),
        trigram_index("leerbedrijf_kwalificatie_name_trgm", "leerbedrijf_kwalificatie", "name"),
    ]
