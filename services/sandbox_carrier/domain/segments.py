"""How many SMS segments a body needs, the way carriers count them."""

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = set("^{}\\[~]|€\f")  # each takes two septets


def count_segments(body: str) -> int:
    """160/153 septets (GSM-7) or 70/67 UTF-16 units (UCS-2); no character split between parts."""
    if all(ch in GSM_BASIC or ch in GSM_EXTENDED for ch in body):
        sizes = [2 if ch in GSM_EXTENDED else 1 for ch in body]
        single, multi = 160, 153
    else:
        sizes = [len(ch.encode("utf-16-le")) // 2 for ch in body]
        single, multi = 70, 67
    if sum(sizes) <= single:
        return 1
    segments, used = 1, 0
    for size in sizes:
        if used + size > multi:
            segments, used = segments + 1, 0
        used += size
    return segments
