from __future__ import annotations

from dualtrack.investment.views import pipeline

urlpatterns = [*pipeline.urlpatterns]
