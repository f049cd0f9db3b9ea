#!/usr/bin/env python3
"""Writes the course figures as plain SVG, one file per language (modules/<module>/media/<name>.<lng>.svg).

Why one file per language: a lesson in Spanish links its own figure, so the text is real <text> in
the learner's language (no script or <switch> needed, and the loader's SVG check stays strict).
The files are the source of truth for small edits; re-run this script after changing a label here:
    python3 tools/course-figures/figures.py
"""
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2] / 'modules'
INK, MUTED, BRAND, SOFT, ACCENT, ACCENT_SOFT = '#1b1f24', '#3d4650', '#0a5a8a', '#e8f1f7', '#7a4500', '#fdf3e4'


def text_lines(x, y, lines, size=14, weight='normal', fill=INK, anchor='middle', style='normal', gap=None):
    gap = gap or round(size * 1.3)
    out = []
    for i, line in enumerate(lines):
        out.append(f'<text x="{x}" y="{y + i * gap}" font-size="{size}" font-weight="{weight}" font-style="{style}" '
                   f'fill="{fill}" text-anchor="{anchor}">{escape(line)}</text>')
    return '\n'.join(out)


def svg(lng, width, height, title, desc, body):
    return f'''<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" lang="{lng}" role="img" aria-labelledby="t d" font-family="Noto Sans, DejaVu Sans, Arial, sans-serif">
<title id="t">{escape(title)}</title>
<desc id="d">{escape(desc)}</desc>
<defs>
<marker id="arrow" markerWidth="4" markerHeight="4" refX="3.2" refY="2" orient="auto"><path d="M0,0 L4,2 L0,4 z" fill="{BRAND}"/></marker>
</defs>
<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>
{body}
</svg>
'''


def box(x, y, w, h, fill=SOFT, stroke=BRAND):
    return f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="10" fill="{fill}" stroke="{stroke}" stroke-width="2"/>'


def arrow(x1, y1, x2, y2, dash=False):
    d = ' stroke-dasharray="6 5"' if dash else ''
    return f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{BRAND}" stroke-width="2.5" marker-end="url(#arrow)"{d}/>'


def path_arrow(d, dash=False):
    extra = ' stroke-dasharray="6 5"' if dash else ''
    return f'<path d="{d}" fill="none" stroke="{BRAND}" stroke-width="2.5" marker-end="url(#arrow)"{extra}/>'


# ---------------------------------------------------------------- Module 1: the Roadmap's four steps
ROADMAP = {
    'en': dict(
        title='The four steps of the Roadmap for Localizing the SDGs',
        desc='Four boxes in a row joined by arrows: awareness raising, advocacy, implementation and monitoring. A dashed arrow returns from monitoring to awareness raising: the steps overlap and repeat.',
        steps=[('1. Awareness raising', ['Inside government first,', 'then residents', 'and partners']),
               ('2. Advocacy', ['A local voice in', 'national strategies,', 'often via associations']),
               ('3. Implementation', ['SDGs in local plans,', 'budgets, projects', 'and partnerships']),
               ('4. Monitoring', ['Local indicators;', 'local data fed into', 'national reporting'])],
        loop='Not a fixed recipe: the steps overlap and start again'),
    'es': dict(
        title='Los cuatro pasos de la Hoja de ruta para la localización de los ODS',
        desc='Cuatro recuadros en fila unidos por flechas: sensibilización, incidencia, implementación y seguimiento. Una flecha discontinua vuelve del seguimiento a la sensibilización: los pasos se solapan y se repiten.',
        steps=[('1. Sensibilización', ['Primero dentro del', 'gobierno, luego la', 'población y los socios']),
               ('2. Incidencia', ['Una voz local en las', 'estrategias nacionales,', 'a menudo vía asociaciones']),
               ('3. Implementación', ['Los ODS en planes,', 'presupuestos, proyectos', 'y alianzas locales']),
               ('4. Seguimiento', ['Indicadores locales;', 'datos locales para el', 'informe nacional'])],
        loop='No es una receta fija: los pasos se solapan y vuelven a empezar'),
    'fr': dict(
        title='Les quatre étapes de la Feuille de route pour la localisation des ODD',
        desc="Quatre cases en ligne reliées par des flèches : sensibilisation, plaidoyer, mise en œuvre et suivi. Une flèche en pointillés revient du suivi à la sensibilisation : les étapes se chevauchent et recommencent.",
        steps=[('1. Sensibilisation', ["D'abord au sein de la", 'collectivité, puis les', 'habitants et partenaires']),
               ('2. Plaidoyer', ['Une voix locale dans', 'les stratégies nationales,', 'souvent via les associations']),
               ('3. Mise en œuvre', ['Les ODD dans les plans,', 'budgets, projets', 'et partenariats locaux']),
               ('4. Suivi', ['Indicateurs locaux ;', 'données locales versées', 'au rapport national'])],
        loop="Pas une recette figée : les étapes se chevauchent et recommencent"),
}


def roadmap(lng):
    t = ROADMAP[lng]
    parts, w, h, gap, y = [], 198, 150, 18, 20
    for i, (head, lines) in enumerate(t['steps']):
        x = 10 + i * (w + gap)
        parts.append(box(x, y, w, h))
        parts.append(text_lines(x + w / 2, y + 32, [head], size=16, weight='bold', fill=BRAND))
        parts.append(text_lines(x + w / 2, y + 70, lines, size=12.5, fill=INK, gap=17))
        if i < 3:
            parts.append(arrow(x + w + 2, y + h / 2, x + w + gap - 2, y + h / 2))
    parts.append(path_arrow(f'M{10 + 3 * (w + gap) + w / 2},{y + h + 2} L{10 + 3 * (w + gap) + w / 2},{y + h + 40} L{10 + w / 2},{y + h + 40} L{10 + w / 2},{y + h + 6}', dash=True))
    parts.append(text_lines(432, y + h + 66, [t['loop']], size=14, style='italic', fill=MUTED))
    return svg(lng, 864, 260, t['title'], t['desc'], '\n'.join(parts))


# ---------------------------------------------------------------- Module 2: the planning cycle and its SDG entry points
CYCLE = {
    'en': dict(
        title='The planning cycle and where the SDGs come in',
        desc='Seven stages in a loop: diagnosis, vision and objectives, strategies and programmes, budgeting, implementation, monitoring and evaluation, review, then back to diagnosis. Under each stage, the SDG entry point: the 17 goals as a checklist and data by group; objectives linked to SDG targets; checking effects on other goals; budget lines tagged to targets; partners, not only suppliers; local indicators with baselines; lessons feed the next plan and the reviews.',
        center=['The planning', 'cycle'], entry='SDG entry point',
        stages=[('1. Diagnosis', ['17 goals as a checklist;', 'data by group and area']),
                ('2. Vision, objectives', ['Each objective linked', 'to SDG targets']),
                ('3. Programmes', ['Check effects on', 'the other goals']),
                ('4. Budgeting', ['Budget lines tagged', 'to targets']),
                ('5. Implementation', ['Partners: civil society,', 'business, other levels']),
                ('6. Monitoring', ['Local indicators with', 'baselines and targets']),
                ('7. Review', ['Lessons feed the next', 'plan and the reviews'])]),
    'es': dict(
        title='El ciclo de planificación y dónde entran los ODS',
        desc='Siete etapas en bucle: diagnóstico, visión y objetivos, estrategias y programas, presupuesto, ejecución, seguimiento y evaluación, revisión, y de nuevo el diagnóstico. Bajo cada etapa, el punto de entrada de los ODS: los 17 objetivos como lista de control y datos por grupo; objetivos vinculados con metas de los ODS; efectos en los demás objetivos; partidas etiquetadas con metas; socios y no solo proveedores; indicadores locales con línea de base; las lecciones alimentan el siguiente plan y los informes.',
        center=['El ciclo de', 'planificación'], entry='Entrada de los ODS',
        stages=[('1. Diagnóstico', ['17 objetivos como lista;', 'datos por grupo y zona']),
                ('2. Visión, objetivos', ['Cada objetivo ligado', 'a metas de los ODS']),
                ('3. Programas', ['Revisar efectos en', 'los demás objetivos']),
                ('4. Presupuesto', ['Partidas etiquetadas', 'con metas']),
                ('5. Ejecución', ['Socios: sociedad civil,', 'empresas, otros niveles']),
                ('6. Seguimiento', ['Indicadores locales con', 'línea de base y meta']),
                ('7. Revisión', ['Lo aprendido alimenta el', 'plan siguiente y los informes'])]),
    'fr': dict(
        title='Le cycle de planification et la place des ODD',
        desc="Sept étapes en boucle : diagnostic, vision et objectifs, stratégies et programmes, budgétisation, mise en œuvre, suivi et évaluation, révision, puis retour au diagnostic. Sous chaque étape, le point d'entrée des ODD : les 17 objectifs comme liste de contrôle et des données par groupe ; objectifs reliés aux cibles ; effets sur les autres objectifs ; lignes budgétaires rattachées aux cibles ; des partenaires et pas seulement des prestataires ; indicateurs locaux avec valeur de référence ; les leçons nourrissent le plan suivant et les revues.",
        center=['Le cycle de', 'planification'], entry="Entrée des ODD",
        stages=[('1. Diagnostic', ['17 objectifs comme liste ;', 'données par groupe et zone']),
                ('2. Vision, objectifs', ['Chaque objectif relié', 'à des cibles des ODD']),
                ('3. Programmes', ['Vérifier les effets sur', 'les autres objectifs']),
                ('4. Budgétisation', ['Lignes budgétaires', 'rattachées aux cibles']),
                ('5. Mise en œuvre', ['Partenaires : société civile,', 'entreprises, autres niveaux']),
                ('6. Suivi', ['Indicateurs locaux avec', 'référence et cible']),
                ('7. Révision', ['Les leçons nourrissent le', 'plan suivant et les revues'])]),
}


def cycle(lng):
    t = CYCLE[lng]
    w, h, gap = 190, 118, 20
    top = [(10 + i * (w + gap), 20) for i in range(4)]
    bottom = [(10 + (3 - i) * (w + gap) - (w + gap) / 2 + (w + gap) / 2, 250) for i in range(3)]  # stages 5, 6, 7 from right to left
    bottom = [(10 + 3 * (w + gap), 250), (10 + 2 * (w + gap), 250), (10 + 1 * (w + gap), 250)]
    pos = top + bottom
    parts = []
    for i, ((head, lines), (x, y)) in enumerate(zip(t['stages'], pos)):
        parts.append(box(x, y, w, h))
        parts.append(text_lines(x + w / 2, y + 28, [head], size=15, weight='bold', fill=BRAND))
        parts.append(text_lines(x + w / 2, y + 54, [t['entry'] + ':'], size=12, fill=ACCENT, weight='bold'))
        parts.append(text_lines(x + w / 2, y + 74, lines, size=12.5, fill=INK, gap=17))
    for i in range(3):  # 1→2→3→4
        x, y = pos[i]
        parts.append(arrow(x + w + 2, y + h / 2, x + w + gap - 2, y + h / 2))
    x4, y4 = pos[3]
    parts.append(arrow(x4 + w / 2, y4 + h + 2, x4 + w / 2, 250 - 4))  # 4→5
    for i in (4, 5):  # 5→6→7 right to left
        x, y = pos[i]
        parts.append(arrow(x - 2, y + h / 2, x - gap + 2, y + h / 2))
    x7, y7 = pos[6]
    parts.append(path_arrow(f'M{x7 - 2},{y7 + h / 2} L{10 + w / 2},{y7 + h / 2} L{10 + w / 2},{20 + h + 6}'))  # 7→1
    parts.append(text_lines(10 + w / 2 + 4, 216, t['center'], size=14, weight='bold', fill=MUTED, anchor='start', style='italic'))
    return svg(lng, 850, 390, t['title'], t['desc'], '\n'.join(parts))


# ---------------------------------------------------------------- Module 3: the reporting chain
CHAIN = {
    'en': dict(
        title='The reporting chain: from local data to the High-Level Political Forum',
        desc='Local data and plans feed three kinds of review. A municipality or region writes a Voluntary Local Review; an association of local governments writes a Voluntary Subnational Review; both feed the national team that writes the Voluntary National Review. The VNR is presented at the High-Level Political Forum every July; VLRs can be presented there too, and the Global Taskforce reports to the forum every year.',
        nodes=[('Local data and plans', ['Indicators, surveys,', 'statistics offices']),
               ('Municipality or region', ['Voluntary Local', 'Review (VLR)']),
               ('Association of LRGs', ['Voluntary Subnational', 'Review (VSR)']),
               ('National VNR team', ['Voluntary National', 'Review (VNR)']),
               (['High-Level', 'Political Forum'], ['Every July,', 'under ECOSOC'])],
        gtf=['Global Taskforce:', 'yearly report'], early='Feed the VNR 6–9 months before the forum', direct='A VLR can also be presented at the forum'),
    'es': dict(
        title='La cadena de informes: de los datos locales al Foro Político de Alto Nivel',
        desc='Los datos y planes locales alimentan tres tipos de informe. Un municipio o región redacta un Informe Local Voluntario; una asociación de gobiernos locales, un Informe Subnacional Voluntario; ambos alimentan al equipo nacional que redacta el Examen Nacional Voluntario. El ENV se presenta en el Foro Político de Alto Nivel cada julio; los ILV también pueden presentarse allí, y la Global Taskforce informa al foro cada año.',
        nodes=[(['Datos y planes', 'locales'], ['Indicadores, encuestas,', 'oficinas de estadística']),
               ('Municipio o región', ['Informe Local', 'Voluntario (ILV)']),
               ('Asociación de GLR', ['Informe Subnacional', 'Voluntario (ISV)']),
               (['Equipo nacional', 'del ENV'], ['Examen Nacional', 'Voluntario (ENV)']),
               (['Foro Político', 'de Alto Nivel'], ['Cada julio,', 'bajo el ECOSOC'])],
        gtf=['Global Taskforce:', 'informe anual'], early='Aportar al ENV 6 a 9 meses antes del foro', direct='Un ILV también puede presentarse en el foro'),
    'fr': dict(
        title='La chaîne du compte rendu : des données locales au Forum politique de haut niveau',
        desc="Les données et plans locaux alimentent trois types de revue. Une commune ou une région rédige une revue locale volontaire ; une association de collectivités, une revue infranationale volontaire ; les deux alimentent l'équipe nationale qui rédige l'examen national volontaire. L'ENV est présenté au Forum politique de haut niveau chaque mois de juillet ; les RLV peuvent aussi y être présentées, et la Global Taskforce fait rapport au forum chaque année.",
        nodes=[(['Données et plans', 'locaux'], ['Indicateurs, enquêtes,', 'instituts statistiques']),
               ('Commune ou région', ['Revue locale', 'volontaire (RLV)']),
               ('Association de GLR', ['Revue infranationale', 'volontaire (RIV)']),
               (['Équipe nationale', "de l'ENV"], ['Examen national', 'volontaire (ENV)']),
               (['Forum politique', 'de haut niveau'], ['Chaque juillet,', "sous l'égide de l'ECOSOC"])],
        gtf=['Global Taskforce :', 'rapport annuel'], early="Alimenter l'ENV 6 à 9 mois avant le forum", direct='Une RLV peut aussi être présentée au forum'),
}


def chain(lng):
    t = CHAIN[lng]
    w, h = 200, 104
    # columns: data | municipality / association | national team | HLPF
    pos = [(10, 132), (250, 40), (250, 224), (490, 132), (730, 132)]
    fills = [(ACCENT_SOFT, ACCENT), (SOFT, BRAND), (SOFT, BRAND), (SOFT, BRAND), ('#e6f2ea', '#1d6b32')]
    parts = []
    for (head, lines), (x, y), (f, s) in zip(t['nodes'], pos, fills):
        parts.append(box(x, y, w, h, fill=f, stroke=s))
        heads = head if isinstance(head, list) else [head]
        top = y + (26 if len(heads) == 1 else 22)
        parts.append(text_lines(x + w / 2, top, heads, size=13.5, weight='bold', fill=INK, gap=17))
        parts.append(text_lines(x + w / 2, top + 17 * len(heads) + 8, lines, size=12.5, fill=MUTED, gap=17))
    parts.append(arrow(210, 170, 248, 100))   # data → municipality
    parts.append(arrow(210, 190, 248, 262))   # data → association
    parts.append(arrow(450, 100, 488, 160))   # municipality → national
    parts.append(arrow(450, 262, 488, 200))   # association → national
    parts.append(arrow(690, 180, 728, 180))   # national → HLPF
    parts.append(path_arrow('M350,38 L350,14 L830,14 L830,128', dash=True))  # VLR straight to the forum
    parts.append(text_lines(590, 30, [t['direct']], size=12.5, fill=MUTED, style='italic'))
    parts.append(box(730, 262, w, 58, fill='#ffffff', stroke='#1d6b32'))
    parts.append(text_lines(830, 286, t['gtf'], size=13, fill=INK, gap=18))
    parts.append(arrow(830, 260, 830, 232))
    parts.append(text_lines(590, 356, [t['early']], size=13, fill=ACCENT, weight='bold'))
    return svg(lng, 950, 370, t['title'], t['desc'], '\n'.join(parts))


FIGURES = [('01-introduction', 'roadmap-steps', roadmap), ('02-territorial-planning', 'planning-cycle', cycle), ('03-reporting', 'reporting-chain', chain)]
if __name__ == '__main__':
    for module, name, make in FIGURES:
        media = ROOT / module / 'media'
        media.mkdir(exist_ok=True)
        for lng in ('en', 'es', 'fr'):
            (media / f'{name}.{lng}.svg').write_text(make(lng), encoding='utf-8')
            print(media / f'{name}.{lng}.svg')
