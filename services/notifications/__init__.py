"""Notifications: portal notifications with read state, and the emails that go with some."""
