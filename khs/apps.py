from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KhsConfig(AppConfig):
    name = "khs"
    verbose_name = _("khs")

    def ready(self):
        from khs.roles import roles_sync_on_migrate

        post_migrate.connect(roles_sync_on_migrate, dispatch_uid="khs_roles_sync")
