"""Classifying inbound texts: opt-out keywords, revocations in other words, wrong-number replies."""

from services.messaging.domain.reply_classifier.classifier import REPLY_KINDS, ReplyKind, Verdict, classify

__all__ = ["REPLY_KINDS", "ReplyKind", "Verdict", "classify"]
