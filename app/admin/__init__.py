"""Administration: users and roles (and, later, platform connections)."""
