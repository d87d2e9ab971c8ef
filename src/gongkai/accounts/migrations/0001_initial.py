import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import gongkai.core.crypto


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RecoveryCode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code_hash", models.CharField(max_length=64, unique=True, verbose_name="恢复码摘要")),
                ("used_at", models.DateTimeField(blank=True, null=True, verbose_name="使用时间")),
                ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="recovery_codes", to=settings.AUTH_USER_MODEL, verbose_name="用户")),
            ],
            options={
                "verbose_name": "恢复码",
                "verbose_name_plural": "恢复码",
            },
        ),
        migrations.CreateModel(
            name="TotpDevice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("secret", gongkai.core.crypto.EncryptedTextField(verbose_name="密钥")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="创建时间")),
                ("confirmed_at", models.DateTimeField(blank=True, null=True, verbose_name="启用时间")),
                ("last_used_step", models.BigIntegerField(default=0, verbose_name="最近使用的时间步")),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="totp_device", to=settings.AUTH_USER_MODEL, verbose_name="用户")),
            ],
            options={
                "verbose_name": "两步验证设备",
                "verbose_name_plural": "两步验证设备",
            },
        ),
    ]
