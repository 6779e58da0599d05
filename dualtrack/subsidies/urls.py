from __future__ import annotations

from dualtrack.subsidies.views import claims, money, public

urlpatterns = [*public.urlpatterns, *claims.urlpatterns, *money.urlpatterns]
