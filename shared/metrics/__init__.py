"""Prometheus metrics of every process: the families (families/), HTTP request timing (http/),
the samplers of consumer lag and outbox backlog (samplers/), and the /metrics exposition.

Labels stay low-cardinality: route templates, topics, consumer groups, error codes and
reasons, never a phone number, a contact id or an account id."""
