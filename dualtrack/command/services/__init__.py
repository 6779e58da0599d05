"""The command app's writes: directives, meetings, snapshots, briefings, notices."""
