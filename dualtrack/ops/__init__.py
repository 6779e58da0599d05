"""Running dualtrack: backups and restores, the load balancer's health check, request logs with
request ids, and Prometheus metrics. Reads the other apps' tables only for operational counts
(the task queue, registrations per minute), never on behalf of a user."""
