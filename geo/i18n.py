"""Words and date formats of the interface in English and Korean."""

from __future__ import annotations

import datetime as dt

__all__ = ["LANGS", "commodity", "date_range", "day", "money", "t", "when"]

LANGS = ("en", "ko")

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

STRINGS: dict[str, dict[str, str]] = {
    "itinerary": {"en": "Itinerary", "ko": "일정"},
    "deals": {"en": "Deals", "ko": "계약·협력"},
    "resources": {"en": "Resources", "ko": "핵심광물·에너지"},
    "routes": {"en": "Trade routes", "ko": "교역 경로"},
    "stops": {"en": "Stops", "ko": "방문지"},
    "legs": {"en": "Legs", "ko": "구간"},
    "total": {"en": "Total", "ko": "합계"},
    "arrive": {"en": "arrive", "ko": "도착"},
    "depart": {"en": "depart", "ko": "출발"},
    "parties": {"en": "Parties", "ko": "당사자"},
    "value": {"en": "Value", "ko": "규모"},
    "status": {"en": "Status", "ko": "상태"},
    "sector": {"en": "Sector", "ko": "분야"},
    "source": {"en": "Source", "ko": "출처"},
    "commodities": {"en": "Commodities", "ko": "품목"},
    "agreement": {"en": "Agreement", "ko": "협정"},
    "uses": {"en": "Uses", "ko": "용도"},
    "goods": {"en": "Goods", "ko": "품목"},
    "approximate": {"en": "approximate location", "ko": "대략적 위치"},
    "no_location": {"en": "not located on the map", "ko": "지도에 위치 없음"},
    "not_reported": {"en": "value not reported", "ko": "규모 미공개"},
    "legend": {"en": "Legend", "ko": "범례"},
    "text_version": {"en": "Text version of this map", "ko": "이 지도의 텍스트 버전"},
    "map_label": {"en": "Map", "ko": "지도"},
    "credit": {"en": "Credit", "ko": "제작"},
    "sources": {"en": "Sources", "ko": "출처"},
    "basemap": {"en": "Basemap", "ko": "배경 지도"},
    "km": {"en": "km", "ko": "km"},
    "nmi": {"en": "nmi", "ko": "해리"},
    "mode": {"en": "Mode", "ko": "수단"},
    "close": {"en": "Close", "ko": "닫기"},
    "zoom_hint": {
        "en": "Use Ctrl + scroll to zoom the map",
        "ko": "Ctrl + 스크롤로 지도를 확대·축소하세요",
    },
    "route_summary": {"en": "Route", "ko": "경로"},
    "timeline": {"en": "Day by day", "ko": "날짜별 일정"},
    "prev_day": {"en": "Previous day", "ko": "이전 날"},
    "next_day": {"en": "Next day", "ko": "다음 날"},
    "play": {"en": "Play", "ko": "재생"},
    "pause": {"en": "Pause", "ko": "일시정지"},
    "all_days": {"en": "All days", "ko": "전체 일정"},
    "no_events": {"en": "No dated events", "ko": "날짜가 밝혀진 일정 없음"},
    "fullscreen": {"en": "Full screen", "ko": "전체 화면"},
    "inset_label": {
        "en": "Locator map: the area of the main map, marked in the surrounding region",
        "ko": "위치도: 주 지도가 보여 주는 지역을 주변 지역 위에 표시",
    },
    "zoom_hint_mac": {
        "en": "Use ⌘ + scroll to zoom the map",
        "ko": "⌘ + 스크롤로 지도를 확대·축소하세요",
    },
    "zoom_hint_touch": {
        "en": "Use two fingers to move the map",
        "ko": "두 손가락으로 지도를 움직이세요",
    },
    "more_rows": {
        "en": "… and {n} more; geo export gives them all as GeoJSON or CSV.",
        "ko": "… 외 {n}개 더; geo export로 전체를 GeoJSON 또는 CSV로 받을 수 있습니다.",
    },
    # The static map's projection names, credit and graticule labels.
    "proj_lcc": {"en": "Lambert conformal conic projection", "ko": "람베르트 정각원추도법"},
    "proj_aeqd": {"en": "Azimuthal equidistant projection", "ko": "정거방위도법"},
    "proj_eqearth": {"en": "Equal Earth projection", "ko": "이퀄 어스 도법"},
    "basemap_credit": {"en": "Basemap: Natural Earth", "ko": "배경 지도: Natural Earth"},
    "lat_n": {"en": "{d}°N", "ko": "북위 {d}°"},
    "lat_s": {"en": "{d}°S", "ko": "남위 {d}°"},
    "lon_e": {"en": "{d}°E", "ko": "동경 {d}°"},
    "lon_w": {"en": "{d}°W", "ko": "서경 {d}°"},
    "mode_air": {"en": "air", "ko": "항공"},
    "mode_rail": {"en": "rail", "ko": "철도"},
    "mode_road": {"en": "road", "ko": "도로"},
    "mode_sea": {"en": "sea", "ko": "해상"},
    "mode_pipeline": {"en": "pipeline", "ko": "파이프라인"},
    "mode_none": {"en": "flow (mode not reported)", "ko": "흐름 (수송 수단 미상)"},
    "status_signed": {"en": "signed", "ko": "체결"},
    "status_agreement": {"en": "agreement", "ko": "합의"},
    "status_mou": {"en": "MOU", "ko": "양해각서"},
    "status_negotiating": {"en": "in negotiation", "ko": "협의 중"},
    "status_estimate": {"en": "estimate", "ko": "추정"},
    "status_none": {"en": "cooperation", "ko": "협력"},
    "size_note": {
        "en": "Circle area: reported value in {cur}",
        "ko": "원 면적: {cur} 기준 보도 규모",
    },
    "size_other_currency": {
        "en": "Values only in {cur}: smallest symbol (not converted)",
        "ko": "{cur}로만 보도된 규모: 가장 작은 기호 (환산하지 않음)",
    },
    "alt_map": {
        "en": "Map of {title}. {dates}: {route}, {n} legs, {km} km in all.",
        "ko": "{title} 지도. {dates}, {route} {n}개 구간 총 {km}km 경로.",
    },
    "alt_deals": {"en": "Deals with reported values: {deals}.", "ko": "주요 계약: {deals}."},
    "alt_partners": {
        "en": "Critical-mineral and energy partners shaded: {partners}.",
        "ko": "핵심광물·에너지 협력국: {partners}.",
    },
    "venue": {"en": "Venue", "ko": "장소"},
    "leg_word": {"en": "Leg", "ko": "구간"},
    "group_energy": {"en": "Energy", "ko": "에너지"},
    "group_battery": {"en": "Battery materials", "ko": "배터리 소재"},
    "group_semiconductor": {"en": "Semiconductor materials", "ko": "반도체 소재"},
    "group_other": {"en": "Other minerals", "ko": "기타 광물"},
    "partner_country": {"en": "Partner country", "ko": "협력국"},
    "flow_width": {
        "en": "Line width: reported value in {cur} (square-root scale)",
        "ko": "선 굵기: {cur} 기준 보도 규모 (제곱근 척도)",
    },
    "flow_no_value": {"en": "value not reported", "ko": "규모 미공개"},
    "flow_other_currency": {
        "en": "value in {cur} only (not converted)",
        "ko": "{cur}로만 보도된 규모 (환산하지 않음)",
    },
    "path": {"en": "Path", "ko": "경로"},
    "path_sea-lane": {"en": "sea lane", "ko": "해상 항로"},
    "path_geodesic": {"en": "great circle", "ko": "대권"},
    "path_direct": {"en": "direct line, not the track", "ko": "직선 (실제 경로 아님)"},
    "great_circle": {"en": "great circle", "ko": "대권 거리"},
    "legs_mode": {"en": "Legs ({mode})", "ko": "구간 ({mode})"},
    "day_word": {"en": "Day", "ko": "일차"},
}


COMMODITIES_KO = {
    "aluminium": "알루미늄", "antimony": "안티모니", "beryllium": "베릴륨", "bismuth": "비스무트",
    "chromium": "크롬", "coal": "석탄", "cobalt": "코발트", "copper": "구리", "crude oil": "원유",
    "fluorspar": "형석", "gallium": "갈륨", "germanium": "게르마늄", "gold": "금",
    "graphite": "흑연", "helium": "헬륨", "hydrogen": "수소", "iron ore": "철광석", "lead": "납",
    "lithium": "리튬", "magnesium": "마그네슘", "manganese": "망간", "molybdenum": "몰리브덴",
    "natural gas": "천연가스", "nickel": "니켈", "niobium": "니오븀", "phosphate": "인광석",
    "platinum group metals": "백금족 금속", "potash": "칼륨", "rare earths": "희토류",
    "silicon": "규소", "silver": "은", "tantalum": "탄탈럼", "tin": "주석", "titanium": "티타늄",
    "tungsten": "텅스텐", "uranium": "우라늄", "vanadium": "바나듐", "zinc": "아연",
    "zirconium": "지르코늄",
}  # fmt: skip


def commodity(name: str, lang: str) -> str:
    """A commodity of the controlled vocabulary in ``lang``."""
    return COMMODITIES_KO.get(name, name) if lang == "ko" else name


def t(key: str, lang: str, **fmt: str) -> str:
    """An interface string in ``lang`` (English when missing)."""
    entry = STRINGS[key]
    text = entry.get(lang, entry["en"])
    return text.format(**fmt) if fmt else text


def day(d: dt.date, lang: str, year: bool = False) -> str:
    """``Jun 10`` / ``6월 10일`` (with the year when asked)."""
    if lang == "ko":
        return (f"{d.year}년 " if year else "") + f"{d.month}월 {d.day}일"
    return f"{_MONTHS[d.month - 1]} {d.day}" + (f", {d.year}" if year else "")


def when(value: dt.date | dt.datetime | None, lang: str) -> str:
    """A local date, with the time and UTC offset when one was given."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        off = value.strftime("%z")
        off = f"UTC{off[:3]}:{off[3:]}" if off else ""
        return f"{day(value.date(), lang, year=True)} {value:%H:%M} {off}".strip()
    return day(value, lang, year=True)


def date_range(first: dt.date | None, last: dt.date | None, lang: str, year: bool = False) -> str:
    """``Jun 10–11`` / ``6월 10–11일``; one date when both are the same."""
    if first is None and last is None:
        return ""
    if first is None or last is None or first == last:
        d = first or last
        assert d is not None
        return day(d, lang, year)
    if first.year == last.year and first.month == last.month:
        if lang == "ko":
            return (
                f"{first.year}년 " if year else ""
            ) + f"{first.month}월 {first.day}–{last.day}일"
        return f"{_MONTHS[first.month - 1]} {first.day}–{last.day}" + (
            f", {first.year}" if year else ""
        )
    return f"{day(first, lang, year)} – {day(last, lang, year)}"


def money(amount: float, currency: str, lang: str) -> str:
    """An amount in its own currency, written as a reader would: ``USD 200 million``."""
    units_en = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
    if lang == "ko":
        for size, word in ((1e12, "조"), (1e8, "억"), (1e4, "만")):
            if amount >= size:
                return f"{currency} {_trim(amount / size)}{word}"
        return f"{currency} {_trim(amount)}"
    for size, word in units_en:
        if amount >= size:
            return f"{currency} {_trim(amount / size)} {word}"
    return f"{currency} {amount:,.0f}"


def _trim(x: float) -> str:
    return f"{x:,.2f}".rstrip("0").rstrip(".")
