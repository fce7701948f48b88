#!/usr/bin/env python3
"""The Options dialog and what it sets, under Wine and Xvfb: values written to the registry by
Wine's own `reg` (an independent writer) come back in the dialog (--use-settings --view options),
the Dump dialog suggests its file in the remembered folder, remembered column widths come back
(the Select Process dialog's, the search and strings lists') and the hex view's font size changes how many lines fit in the pane.
The settings key is removed again at the end."""
import re

import gui_harness
import pmmtest
from pmmtest import test

BITS = 64
KEY = r"HKCU\Software\ProcessMemoryMap"
session = gui_harness.Session("options")


def setup():
    env, out_dir = session.start()
    return env, out_dir, session.target(BITS, "pmm_target_basic.exe")


def reg(*args):
    rc, out, err = pmmtest.run_captured(["/usr/lib/wine/wine64", "reg"] + list(args), pmmtest.wine_env(), 120)
    return rc, out + err


def set_settings(**values):
    reg("delete", KEY, "/f")
    for name, (kind, data) in values.items():
        rc, text = reg("add", KEY, "/v", name, "/t", kind, "/d", str(data), "/f")
        if rc != 0:
            raise AssertionError("reg add %s failed: %s" % (name, text.strip()))


def view(name, *args):
    env, out_dir, target = setup()
    text = gui_harness.gui_text(BITS, env, out_dir, name, target.pid, *args)
    return dict(line.split("\t", 1) for line in text.splitlines() if "\t" in line)


@test
def options_show_the_saved_settings():
    _, out_dir, _ = setup()
    folder = "Z:" + out_dir.replace("/", "\\")
    set_settings(SymbolPath=("REG_SZ", r"C:\symbols;srv*C:\cache*https://example.invalid/symbols"),
                 DumpFolder=("REG_SZ", folder), HexFontPoints=("REG_DWORD", 14))
    shown = view("options.txt", "--use-settings", "--view", "options")
    want = {"Symbol path": r"C:\symbols;srv*C:\cache*https://example.invalid/symbols", "Dump folder": folder,
            "Hex view font size": "14", "Reset the layout": "0"}
    if shown != want:
        raise AssertionError("Options shows %s, the registry holds %s" % (shown, want))
    # Without --use-settings an unattended run ignores them: the defaults.
    plain = view("options-plain.txt", "--view", "options")
    if plain != {"Symbol path": "", "Dump folder": "", "Hex view font size": "10", "Reset the layout": "0"}:
        raise AssertionError("Options without --use-settings shows %s" % plain)
    return "symbol path, dump folder and font size as reg wrote them; defaults without --use-settings"


@test
def dump_dialog_suggests_the_remembered_folder():
    _, out_dir, target = setup()
    folder = "Z:" + out_dir.replace("/", "\\")
    set_settings(DumpFolder=("REG_SZ", folder))
    shown = view("dump-dialog.txt", "--use-settings", "--view", "dump-dialog")
    path = shown.get("Save to", "")
    if not path.lower().startswith(folder.lower() + "\\") or not path.endswith(".bin"):
        raise AssertionError("Save to %r, want a .bin file in %s" % (path, folder))
    # With no folder remembered: a full path in the current directory, so the folder is shown.
    reg("delete", KEY, "/f")
    plain = view("dump-dialog-plain.txt", "--use-settings", "--view", "dump-dialog")["Save to"]
    if len(plain) < 4 or plain[1:3] != ":\\":
        raise AssertionError("Save to %r is not a full path" % plain)
    return "Save to %s; without a remembered folder %s" % (path, plain)


@test
def column_widths_come_back():
    env, out_dir, target = setup()
    widths = [180, 71, 83, 222, 130, 117]
    set_settings(**{"Columns.processes": ("REG_BINARY", "".join(w.to_bytes(4, "little").hex() for w in widths))})
    text = gui_harness.gui_text(BITS, env, out_dir, "columns.txt", target.pid, "--use-settings", "--view", "processes")
    shown = next([int(v) for v in line.split()[2:]] for line in text.splitlines() if line.startswith("# columns"))
    # The Name column stretches with the dialog; the others are as remembered.
    if shown[1:] != widths[1:]:
        raise AssertionError("columns %s, the settings hold %s" % (shown, widths))
    reg("delete", KEY, "/f")
    text = gui_harness.gui_text(BITS, env, out_dir, "columns-default.txt", target.pid, "--use-settings", "--view",
                                "processes")
    default = next([int(v) for v in line.split()[2:]] for line in text.splitlines() if line.startswith("# columns"))
    if default[1:] == widths[1:]:
        raise AssertionError("the default columns %s are the remembered ones" % default)
    return "remembered %s, default %s" % (shown[1:], default[1:])


@test
def search_and_strings_columns_come_back():
    """The Find in Memory and Strings lists keep their column widths under Columns.search and
    Columns.strings, as the Select Process dialog does."""
    env, out_dir, target = setup()
    views = {"search": ("--search", "pmm_test"), "strings": ("--strings", "10", "--strings-filter", "pmm_test")}
    results = []
    for name, args in views.items():
        text = gui_harness.gui_text(BITS, env, out_dir, "%s-default.txt" % name, target.pid, *args)
        default = next([int(v) for v in line.split()[2:]] for line in text.splitlines() if line.startswith("# columns"))
        widths = [w + 17 + 3 * c for c, w in enumerate(default)]   # none of them a default width
        set_settings(**{"Columns." + name: ("REG_BINARY", "".join(w.to_bytes(4, "little").hex() for w in widths))})
        text = gui_harness.gui_text(BITS, env, out_dir, "%s-columns.txt" % name, target.pid, "--use-settings", *args)
        shown = next([int(v) for v in line.split()[2:]] for line in text.splitlines() if line.startswith("# columns"))
        reg("delete", KEY, "/f")
        if shown != widths:
            raise AssertionError("%s columns %s, the settings hold %s (default %s)" % (name, shown, widths, default))
        results.append("%s %s (default %s)" % (name, shown, default))
    return "; ".join(results)


def stored_values():
    """The names of the values under the settings key, as Wine's reg lists them."""
    rc, text = reg("query", KEY)
    if rc != 0:
        raise AssertionError("reg query failed: %s" % text.strip())
    return {line.split()[0] for line in text.splitlines() if line.startswith("    ") and len(line.split()) >= 2}


@test
def reset_layout_forgets_only_the_layout():
    """--reset-layout (what Options > Reset the layout does on OK) removes the window placement,
    the hex pane's height and every list's column widths, keeps the other settings, and the lists
    come back at their default widths."""
    env, out_dir, target = setup()
    widths = [180, 71, 83, 222, 130, 117]
    packed = "".join(w.to_bytes(4, "little").hex() for w in widths)
    layout = {"ColumnWidths", "DetailsHeight", "Columns.processes", "Columns.search"}
    set_settings(SymbolPath=("REG_SZ", r"C:\symbols"), HexFontPoints=("REG_DWORD", 14),
                 DetailsHeight=("REG_DWORD", 300), ColumnWidths=("REG_BINARY", packed),
                 **{"Columns.processes": ("REG_BINARY", packed), "Columns.search": ("REG_BINARY", packed)})
    before = stored_values()
    if not layout <= before:
        raise AssertionError("reg wrote %s, want at least %s" % (sorted(before), sorted(layout)))
    rc, _, err = gui_harness.run_gui(BITS, env, "--reset-layout")
    after = stored_values()
    text = gui_harness.gui_text(BITS, env, out_dir, "columns-reset.txt", target.pid, "--use-settings", "--view",
                                "processes")
    reg("delete", KEY, "/f")
    if rc != 0:
        raise AssertionError("--reset-layout exited %d: %s" % (rc, err.strip()))
    if after != before - layout:
        raise AssertionError("after --reset-layout the key holds %s, want %s" % (sorted(after), sorted(before - layout)))
    shown = next([int(v) for v in line.split()[2:]] for line in text.splitlines() if line.startswith("# columns"))
    if shown[1:] == widths[1:]:
        raise AssertionError("the Select Process columns %s are still the forgotten ones" % shown)
    return "removed %s, kept %s; Select Process columns back to %s" % (sorted(layout), sorted(after), shown[1:])


def hex_lines(name, *args):
    env, out_dir, target = setup()
    text = gui_harness.gui_text(BITS, env, out_dir, name, target.pid, "--hex", target.info["image_base"], *args)
    return [line for line in text.splitlines() if re.match(r"[0-9A-F]{16}  [0-9A-F?]{2} ", line)]


@test
def hex_font_size_changes_the_lines_that_fit():
    set_settings(HexFontPoints=("REG_DWORD", 16))
    big = hex_lines("hex-16.txt", "--use-settings")
    reg("delete", KEY, "/f")
    normal = hex_lines("hex-10.txt", "--use-settings")
    if not normal or not big or not len(big) < len(normal):
        raise AssertionError("%d lines at 16 points, %d at 10" % (len(big), len(normal)))
    ratio = len(big) / len(normal)
    if not 0.45 < ratio < 0.8:
        raise AssertionError("%d lines at 16 points, %d at 10 (ratio %.2f, want about 10/16)"
                             % (len(big), len(normal), ratio))
    return "%d hex lines at 16 points, %d at 10" % (len(big), len(normal))


if __name__ == "__main__":
    session.run(at_end=lambda: reg("delete", KEY, "/f"))
