"""Daily tips: channel subscriptions, the schedule, the rotation, and the clock that posts each tip once a day."""
