"""Reading a process's /metrics the way Prometheus does, with its own text parser."""

from collections import defaultdict

import httpx
from prometheus_client.parser import text_string_to_metric_families

Samples = dict[str, list[tuple[dict[str, str], float]]]


async def scrape(base_url: str) -> Samples:
    """Every sample of the process at `base_url`, by sample name (a parse failure fails the test)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.get("/metrics")
    assert response.status_code == 200, (base_url, response.status_code)
    assert response.headers["content-type"].startswith("text/plain"), response.headers["content-type"]
    samples: Samples = defaultdict(list)
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[sample.name].append((sample.labels, sample.value))
    return samples


def total(samples: Samples, name: str, **labels: str) -> float:
    """The sum of the samples named `name` whose labels include `labels`."""
    return sum(value for found, value in samples.get(name, []) if all(found.get(k) == v for k, v in labels.items()))
