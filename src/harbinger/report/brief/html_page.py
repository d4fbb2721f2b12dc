"""A resurgence brief as one HTML page, its plots embedded as PNG data URLs.

A Jinja template with autoescaping on: every text read from reports (actors, places, speakers,
quotes, sources, titles) is escaped by Jinja, never pasted into markup by hand. References to the
appendix ("E12") are links to its rows. The template is kept here as a string, as the situation
report's is, so that the page needs no package data beside the module.
"""

from __future__ import annotations

import base64
import functools
from typing import TYPE_CHECKING

from harbinger.report.brief import content
from harbinger.report.brief.collect import REASSURING_STANCES, WARNING_STANCES

if TYPE_CHECKING:
    from pathlib import Path

    import jinja2

    from harbinger.report.brief.collect import BriefData

__all__ = ["render_brief_html"]

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ data.title }}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.5em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;margin-top:1.6em}
h3{font-size:1.05em;margin-bottom:.3em}
table{border-collapse:collapse;width:100%;font-size:13px}
td,th{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}
th{border-bottom:1px solid #999}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num,td.day{white-space:nowrap}td.src{min-width:11em;max-width:16em;overflow-wrap:anywhere}
td.who{min-width:9em}tr:target{background:#fff6d5}
.lvl{color:#fff;padding:1px 6px;border-radius:3px;font-size:12px;text-transform:uppercase}
.none{color:#888}.sw{display:inline-block;width:.7em;height:.7em;border-radius:50%;margin-right:.35em}
ul.levels{list-style:none;padding-left:0}ul.levels li{margin:.5em 0}
.refs,.note,.more,.title{color:#666;font-size:13px}img{max-width:100%;max-height:95vh}
</style></head><body>
{% macro links(refs, most=8) -%}
{% for r in refs[:most] %}<a href="#{{ r }}">{{ r }}</a>{% if not loop.last %}, {% endif %}{% endfor %}
{%- if refs|length > most %} and {{ refs|length - most }} more{% endif %}
{%- endmacro %}
{% macro sentences(items) -%}
{% for text, refs in items %}{% if refs and text.endswith(".") %}{{ text[:-1] }} ({{ links(refs) }}).
{%- elif refs %}{{ text }} ({{ links(refs) }}){% else %}{{ text }}{% endif %} {% endfor %}
{%- endmacro %}
{% macro statements(rows) -%}
{% if rows %}
<table><tr><th>date</th><th>speaker</th><th>stance</th><th>statement</th><th>source</th></tr>
{% for s in rows %}<tr><td class="day">{{ s.date }}</td>
<td class="who" dir="auto">{{ s.speaker }}{% if s.speaker_title %}<br><span class="title">{{ s.speaker_title }}</span>{% endif %}</td>
<td>{{ s.stance }}</td><td dir="auto">&ldquo;{{ s.text }}&rdquo;</td>
<td class="src">{{ s.source }}{% if s.title %}<br><span class="title" dir="auto">{{ s.title }}</span>{% endif %}</td></tr>
{% endfor %}</table>
{% else %}<p>None in the period.</p>{% endif %}
{%- endmacro %}
<h1>{{ data.title }}</h1>
<p class="note">{{ period_line }}</p>
{% if data.is_empty %}
<p class="empty">{{ data.nothing_message() }}</p>
{% else %}

<h2 id="s1">1 Summary</h2>
<p>{{ sentences(opening) }}</p>
<p><b>{{ overall }}</b></p>
<ul class="levels">
{% for l in levels %}<li><span class="lvl" style="background:{{ level_colours[l.level] }}">{{ l.level }}</span>
<b>{{ l.region }}</b>, score {{ l.score }}: {{ l.reason }}
{% if l.refs %}<br><span class="refs">Events: {{ links(l.refs) }}</span>{% endif %}</li>
{% endfor %}</ul>
{% if rest %}<p>{{ sentences(rest) }}</p>{% endif %}

<h2 id="s2">2 Activity against baseline</h2>
{% if activity %}
<p class="note">Per region: its events and fatalities in the last {{ data.window_weeks }} weeks to
{{ data.until.isoformat() }} against what its own {{ data.baseline_weeks }} weeks before expect,
the level they give, and its events in the whole period.</p>
<table><tr><th>region</th><th>area</th><th>level</th><th class="num">score</th>
<th class="num">events, last {{ data.window_weeks }} weeks</th><th class="num">expected</th>
<th class="num">fatalities, last {{ data.window_weeks }} weeks</th><th class="num">expected</th>
<th class="num">events, period</th><th class="num">fatalities, period</th><th>events</th></tr>
{% for r in activity %}<tr><td dir="auto">{{ r.region }}</td><td>{{ r.area }}</td>
<td>{% if r.level != "-" %}<span class="lvl" style="background:{{ level_colours[r.level] }}">{{ r.level }}</span>{% else %}<span class="none">-</span>{% endif %}</td>
<td class="num">{{ r.score }}</td><td class="num">{{ r.events }}</td><td class="num">{{ r.expected }}</td>
<td class="num">{{ r.fatalities }}</td><td class="num">{{ r.expected_fatalities }}</td>
<td class="num">{{ r.period_events }}</td><td class="num">{{ r.period_fatalities }}</td>
<td class="refs">{{ links(r.refs, 4) }}</td></tr>
{% endfor %}</table>
{% else %}<p>{{ data.actor }} appears in no region in the 30 weeks up to {{ data.until.isoformat() }}.</p>{% endif %}
{% if panels_png %}
<h3>Weekly events of {{ data.actor }} against its baseline</h3>
<img alt="Weekly events of the actor per region with the baseline band" src="data:image/png;base64,{{ panels_png }}">
<p class="note">{{ panels_caption }}</p>
{% endif %}
{% if notes[2] %}<p class="note">{{ notes[2] }}</p>{% endif %}

<h2 id="s3">3 Where it reappeared</h2>
<p class="note">Places (districts, or whole governorates) with its events after {{ data.quiet_weeks }}
or more weeks without any there, as the resurgence analysis's spread signal finds them in the period.</p>
{% if map_png %}<img alt="Where the actor reappeared, its events sized by fatalities" src="data:image/png;base64,{{ map_png }}">{% endif %}
{% if returns %}
<table><tr><th>date</th><th>place returned to</th><th>kind</th><th>event</th><th class="num">fatalities</th>
<th>its previous event there</th><th>ref</th></tr>
{% for r in returns %}<tr><td class="day">{{ r.date }}</td><td dir="auto">{{ r.place }}</td><td>{{ r.kind }}</td>
<td dir="auto">{{ r.event }}</td><td class="num">{{ r.fatalities }}</td><td class="day">{{ r.previous }}</td>
<td>{% if r.ref %}<a href="#{{ r.ref }}">{{ r.ref }}</a>{% endif %}</td></tr>
{% endfor %}</table>
{% else %}<p>No returns in the period: {{ data.actor }} appeared in no place after {{ data.quiet_weeks }} or more weeks without its events there.</p>{% endif %}
{% if notes[3] %}<p class="note">{{ notes[3] }}</p>{% endif %}

<h2 id="s4">4 Repertoire over time</h2>
{% if repertoire_png %}
<p class="note">The share of its events each month that show an insurgent's tactics (IEDs,
assassinations of local figures, attacks on checkpoints, night raids, kidnapping, extortion, burning
of crops; resurgence.yaml), each event counted under the first of its tactics; its count of events
over each bar.</p>
<img alt="Share of the actor's events showing each insurgent tactic, by month" src="data:image/png;base64,{{ repertoire_png }}">
<table><tr><th>month</th><th class="num">events</th><th class="num">insurgent tactics</th><th class="num">share</th>
<th>events showing each tactic (an event may show several)</th></tr>
{% for m in data.repertoire if m.events %}<tr><td class="day">{{ m.month }}</td><td class="num">{{ "{:,}".format(m.events) }}</td>
<td class="num">{{ "{:,}".format(m.insurgent) }}</td><td class="num">{{ "{:.0%}".format(m.share or 0) }}</td>
<td>{% for label, n in m.mentions %}<span class="sw" style="background:{{ tactic_colours.get(label, '#999') }}"></span>{{ label }} {{ "{:,}".format(n) }}{% if not loop.last %}, {% endif %}{% else %}-{% endfor %}</td></tr>
{% endfor %}</table>
{% if quiet_months %}<p class="more">{{ quiet_months }}</p>{% endif %}
{% else %}<p>No events of it in the period.</p>{% endif %}
{% if notes[4] %}<p class="note">{{ notes[4] }}</p>{% endif %}

<h2 id="s5">5 What officials said</h2>
{% if warned or reassured %}
<p class="note">{{ warned|length }} warnings and concerns against {{ reassured|length }} reassurances and denials, newest first.</p>
<h3>Warnings and concerns</h3>
{{ statements(warned) }}
<h3>Reassurances and denials</h3>
{{ statements(reassured) }}
{% else %}<p>No statements about {{ data.actor }} in the period.</p>{% endif %}

<h2 id="s6">6 Strength estimates</h2>
{% if strength %}
<p class="note">Every estimate of its strength up to {{ data.until.isoformat() }}, newest first, with
the sentence it was read from. An estimate is what a source says, not a count.</p>
<table><tr><th>date</th><th>estimate</th><th>place</th><th>source</th><th>said</th></tr>
{% for s in strength %}<tr><td class="day">{{ s.date }}{% if not s.in_period %}<br><span class="title">before the period</span>{% endif %}</td>
<td class="num">{{ s.value }}</td><td dir="auto">{{ s.place }}</td>
<td class="src">{{ s.source }}{% if s.title %}<br><span class="title" dir="auto">{{ s.title }}</span>{% endif %}</td>
<td dir="auto">{% if s.said %}&ldquo;{{ s.said }}&rdquo;{% else %}-{% endif %}</td></tr>
{% endfor %}</table>
{% if strength_png %}<img alt="Strength estimates over time with their ranges" src="data:image/png;base64,{{ strength_png }}">
<p class="note">Filled: estimates in the period; hollow: before it. Lines: the range the source gave.</p>{% endif %}
{% else %}<p>No estimate of {{ data.actor }}'s strength up to {{ data.until.isoformat() }}.</p>{% endif %}

<h2 id="s7">7 Appendix: the events behind the brief</h2>
{% if appendix %}
<p class="note">{{ appendix|length }} events, oldest first. Cited in: 1 summary (the deadliest),
2 activity (the last {{ data.window_weeks }} weeks of each region), 3 returns, 4 insurgent tactics.
All {{ data.events|length }} of its events in the period:
<code>harbinger events --actor "{{ data.query }}" --since {{ data.since.isoformat() }} --until {{ data.until.isoformat() }}</code>.</p>
<table><tr><th>ref</th><th>date</th><th>event</th><th>place</th><th>type</th><th>actors</th>
<th class="num">fatalities</th><th>cited in</th></tr>
{% for r in appendix %}<tr id="{{ r.ref }}"><td>{{ r.ref }}</td><td class="day">{{ r.date }}</td>
<td class="src" title="{{ r.event_id }}">{% for part in r.source.split(" · ") %}{{ part }}{% if not loop.last %}<br>{% endif %}{% endfor %}</td><td dir="auto">{{ r.place }}</td>
<td title="{{ r.event_type }}">{{ r.sub_event_type }}</td><td dir="auto">{{ r.actors }}</td>
<td class="num">{{ r.fatalities }}</td><td>{% for s in r.sections.split(", ") %}<a href="#s{{ s }}">{{ s }}</a>{% if not loop.last %}, {% endif %}{% endfor %}: {{ r.why }}</td></tr>
{% endfor %}</table>
{% else %}<p>The brief cites no events.</p>{% endif %}
{% endif %}
<p class="note">Generated by Harbinger. Every figure points back to the events and reports it was read from.</p>
</body></html>
"""


@functools.cache
def _template() -> jinja2.Template:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_TEMPLATE)


def render_brief_html(data: BriefData, out: Path) -> Path:
    """Write the brief as one self-contained HTML page at ``out``."""
    from harbinger.report.brief.figures import (
        LEVEL_COLOURS,
        panels_caption,
        panels_figure,
        repertoire_figure,
        returns_map_figure,
        strength_figure,
        tactic_colours,
    )
    from harbinger.report.figures import png

    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode("ascii")

    said = content.summary(data)
    busy = not data.is_empty
    page = _template().render(
        data=data,
        period_line=content.period_line(data),
        opening=said.opening,
        overall=said.overall,
        rest=said.rest,
        levels=content.level_lines(data),
        activity=content.activity_rows(data),
        returns=content.return_rows(data),
        warned=content.statement_rows(data.statements, WARNING_STANCES),
        reassured=content.statement_rows(data.statements, REASSURING_STANCES),
        strength=content.strength_rows(data),
        appendix=content.appendix_rows(data),
        notes={n: content.section_note(data, n) for n in (2, 3, 4)},
        quiet_months=content.quiet_months(data),
        panels_png=b64(png(panels_figure(data))) if busy and data.panels else "",
        panels_caption=panels_caption(data),
        map_png=b64(png(returns_map_figure(data))) if busy and data.events else "",
        repertoire_png=b64(png(repertoire_figure(data))) if busy and data.events else "",
        strength_png=b64(png(strength_figure(data))) if busy and len(data.strength) >= 2 else "",
        level_colours=LEVEL_COLOURS,
        tactic_colours=tactic_colours(data.tactic_labels),
    )
    out.write_text(page, encoding="utf-8")
    return out
