"""Every metric family the product exposes, one module per concern."""
