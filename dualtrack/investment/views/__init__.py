"""The investment pages."""
