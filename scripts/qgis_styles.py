#!/usr/bin/python3
"""QGIS as the judge of the plan GeoPackage's `layer_styles`: opens every layer of each
GeoPackage the way QGIS does (its default style comes from the table) and checks that QGIS
took the stored style — the renderer type, the categories with their colours, the labels —
rather than its own random single colour. Optionally draws all layers to a PNG to look at.

Needs QGIS's Python bindings (Debian: `apt-get install qgis python3-qgis`); run with the
system Python and without a display:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/qgis_styles.py plan.gpkg [--png out.png]

Exit 0 when every styled layer opened with its style, 1 otherwise, 2 when QGIS is missing.
"""

import os
import sqlite3
import sys
import xml.etree.ElementTree as ET

try:
    from qgis.core import (Qgis, QgsApplication, QgsMapRendererSequentialJob,
                           QgsMapSettings, QgsRectangle, QgsVectorLayer)
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"qgis_styles: QGIS Python bindings missing ({e})", file=sys.stderr)
    sys.exit(2)


def stored_styles(path):
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT f_table_name, styleQML FROM layer_styles WHERE useAsDefault").fetchall()


def expected(qml):
    root = ET.fromstring(qml.split("\n", 1)[1])
    renderer = root.find("renderer-v2")
    categories = [(c.get("value"), c.get("symbol")) for c in renderer.iter("category")]
    colours = {}
    for symbol in renderer.iter("symbol"):
        props = {p.get("k"): p.get("v") for p in symbol.iter("prop")}
        colours[symbol.get("name")] = props.get("color") or props.get("line_color")
    return {
        "type": renderer.get("type"),
        "categories": [(v, colours[s]) for v, s in categories],
        "single": colours.get("0"),
        "labels": root.get("labelsEnabled") == "1",
    }


def rgba(colour):
    return f"{colour.red()},{colour.green()},{colour.blue()},{colour.alpha()}"


def check(path):
    problems, layers = [], []
    for table, qml in stored_styles(path):
        want = expected(qml)
        layer = QgsVectorLayer(f"{path}|layername={table}", table, "ogr")
        if not layer.isValid():
            problems.append(f"{table}: QGIS cannot open the layer")
            continue
        layers.append(layer)
        renderer = layer.renderer()
        got_type = renderer.type()
        line = f"{table}: {got_type}"
        if got_type != want["type"]:
            problems.append(f"{table}: QGIS drew it {got_type}, the stored style is {want['type']}")
        elif got_type == "categorizedSymbol":
            got = [(c.value(), rgba(c.symbol().color())) for c in renderer.categories()]
            want_categories = [(v if v != "" else None, c) for v, c in want["categories"]]
            got = [(v if v not in ("", None) else None, c) for v, c in got]
            line += f" on {renderer.classAttribute()}, {len(got)} categories"
            if got != want_categories:
                problems.append(f"{table}: categories differ: QGIS {got[:3]}…, stored "
                                f"{want_categories[:3]}…")
        else:
            got = rgba(renderer.symbol().color())
            line += f" {got}"
            if want["single"] and got != want["single"]:
                problems.append(f"{table}: colour {got}, stored {want['single']}")
        if layer.labelsEnabled() != want["labels"]:
            problems.append(f"{table}: labels {'on' if layer.labelsEnabled() else 'off'}, "
                            f"stored {'on' if want['labels'] else 'off'}")
        elif want["labels"]:
            line += f", labels {layer.labeling().settings().fieldName}"
        print(f"  {line}")
    return problems, layers


def draw(layers, png):
    settings = QgsMapSettings()
    settings.setLayers(list(reversed(layers)))
    extent = QgsRectangle()
    extent.setMinimal()
    for layer in layers:
        if layer.featureCount() > 0:
            extent.combineExtentWith(layer.extent())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(1600, 1100))
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setDestinationCrs(layers[0].crs())
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png, "png")
    print(f"  drawn to {png}")


def main(argv):
    png = None
    if "--png" in argv:
        i = argv.index("--png")
        png = argv[i + 1]
        argv = argv[:i] + argv[i + 2:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    app = QgsApplication([], False)
    app.initQgis()
    failed = False
    for path in argv:
        print(f"{path}: QGIS {Qgis.QGIS_VERSION}")
        problems, layers = check(path)
        for p in problems:
            print(f"  PROBLEM {p}")
        failed |= bool(problems)
        if png and layers:
            draw(layers, png)
    return 1 if failed else 0


if __name__ == "__main__":
    # QGIS 3.22 offscreen may crash in its own teardown (exitQgis); leave without it.
    code = main(sys.argv[1:])
    sys.stdout.flush()
    os._exit(code)
