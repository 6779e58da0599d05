from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from dualtrack.core import job_views, views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.language, name="language"),
    path("profile/", views.profile, name="profile"),
    path("waiting/", views.waiting, name="waiting"),
    path("inbox/", views.inbox, name="inbox"),
    path("profile/tokens/new/", views.api_token_create, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("jobs/", job_views.job_list, name="job_list"),
    path("jobs/<int:pk>/", job_views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/result", job_views.job_result, name="job_result"),
]
