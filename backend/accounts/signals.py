"""Credentials end with the events that should end them.

A changed password or a deactivated account revokes the user's API token, whichever way
the change is made (the admin, ``manage.py changepassword``, a service): the receiver
compares the row before and after the save. Sessions already end on a password change
(Django checks the session's password hash) and on deactivation (the backend refuses
inactive users).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_save
from django.dispatch import receiver

from accounts.tokens import tokens_revoke


@receiver(pre_save, sender=get_user_model(), dispatch_uid="accounts-revoke-tokens")
def revoke_tokens_on_password_change_or_deactivation(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    if before["password"] != instance.password or (before["is_active"] and not instance.is_active):
        tokens_revoke(user=instance)
