from leerbedrijf.models import Membership

from .steps import log_in


def test_a_role_is_ended_after_confirmation_and_restored(page, world, look):
    log_in(page, world.opleider)
    page.goto(world.a.get_absolute_url())
    page.get_by_role("link", name="Rol beëindigen van Willem Begeleider").click()
    page.get_by_text("Een praktijkopleider herstelt de rol").wait_for()
    look(page, "01-rol-beeindigen-bevestigen")
    page.get_by_role("button", name="Ja, rol beëindigen").click()
    page.get_by_text("is beëindigd.").wait_for()
    look(page, "02-beeindigde-rollen")
    assert not Membership.objects.active().filter(user=world.wpb).exists()
    page.get_by_role("button", name="Rol herstellen van Willem Begeleider").click()
    page.get_by_text("is hersteld.").wait_for()
    assert Membership.objects.active().filter(user=world.wpb).exists()
