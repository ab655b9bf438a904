"""The console's pages of outgoing webhooks: subscriptions, the delivery log, sending again."""

from django.urls import path

from . import webhooks_views

urlpatterns = [
    path("", webhooks_views.overview, name="webhooks"),
    path("new/", webhooks_views.subscription_create, name="webhooks_new"),
    path("<int:pk>/", webhooks_views.subscription_detail, name="webhook"),
    path("<int:pk>/secret/", webhooks_views.subscription_rotate_secret, name="webhook_secret"),
    path("<int:pk>/delete/", webhooks_views.subscription_delete, name="webhook_delete"),
    path("deliveries/<int:pk>/", webhooks_views.delivery_detail, name="webhook_delivery"),
    path("deliveries/<int:pk>/resend/", webhooks_views.delivery_resend, name="webhook_delivery_resend"),
]
