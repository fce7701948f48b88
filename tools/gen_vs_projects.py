#!/usr/bin/env python3
"""Writes ProcessMemoryMap.sln and vs/*.vcxproj from the source lists in cmake/sources.cmake, so
Visual Studio builds exactly what CMake builds. Run it after changing a source list; the test
tests/integration/test_sln_sources.py fails when the projects are out of date."""
import os
import re
import sys
import uuid

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
NAMESPACE = uuid.UUID("5b0c6e6a-2a7e-4b8e-9d1e-7d1f6c1e0a01")
CONFIGS = [(c, p) for c in ("Debug", "Release") for p in ("x64", "Win32")]
DEFINES = "UNICODE;_UNICODE;WIN32_LEAN_AND_MEAN;_WIN32_WINNT=0x0601;_CRT_SECURE_NO_WARNINGS"


def source_lists():
    text = open(os.path.join(ROOT, "cmake", "sources.cmake")).read()
    text = re.sub(r"#.*", "", text)
    return {m.group(1): m.group(2).split() for m in re.finditer(r"set\((\w+)\s+([^)]*)\)", text)}


def project_guid(name):
    return "{" + str(uuid.uuid5(NAMESPACE, name)).upper() + "}"


# The POSIX halves of the core's platform pieces: listed so the solution shows every source, but
# not compiled on Windows (core/win32/clock.c and file.c stand in for them).
NOT_BUILT_ON_WINDOWS = ["PMM_CORE_POSIX_SOURCES"]

PROJECTS = [
    # name, kind, source lists, extra files, references, libraries
    ("pmm_core", "StaticLibrary", ["PMM_CORE_SOURCES", "PMM_CORE_WIN32_PLATFORM_SOURCES"], [], [], ""),
    ("pmm_win32", "StaticLibrary", ["PMM_WIN32_SOURCES"], [], ["pmm_core"], ""),
    ("pmm", "Console", ["PMM_CLI_SOURCES"], ["res/pmm.rc"], ["pmm_core", "pmm_win32"], "psapi.lib;winhttp.lib"),
    ("ProcessMemoryMap", "Windows", ["PMM_GUI_SOURCES"], ["res/ProcessMemoryMap.rc"], ["pmm_core", "pmm_win32"],
     "psapi.lib;winhttp.lib;comctl32.lib;comdlg32.lib;shell32.lib;uxtheme.lib"),
]


def vcxproj(name, kind, sources, extras, references, libraries, excluded=()):
    config_type = "StaticLibrary" if kind == "StaticLibrary" else "Application"
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<Project DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">',
             '  <ItemGroup Label="ProjectConfigurations">']
    for c, p in CONFIGS:
        lines += [f'    <ProjectConfiguration Include="{c}|{p}">', f"      <Configuration>{c}</Configuration>",
                  f"      <Platform>{p}</Platform>", "    </ProjectConfiguration>"]
    lines += ["  </ItemGroup>", '  <PropertyGroup Label="Globals">',
              f"    <ProjectGuid>{project_guid(name)}</ProjectGuid>", f"    <RootNamespace>{name}</RootNamespace>",
              "    <WindowsTargetPlatformVersion>10.0</WindowsTargetPlatformVersion>", "  </PropertyGroup>",
              '  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.Default.props" />']
    for c, p in CONFIGS:
        lines += [f"  <PropertyGroup Condition=\"'$(Configuration)|$(Platform)'=='{c}|{p}'\" Label=\"Configuration\">",
                  f"    <ConfigurationType>{config_type}</ConfigurationType>",
                  f"    <UseDebugLibraries>{'true' if c == 'Debug' else 'false'}</UseDebugLibraries>",
                  "    <PlatformToolset>v143</PlatformToolset>", "    <CharacterSet>Unicode</CharacterSet>",
                  "  </PropertyGroup>"]
    lines += ['  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.props" />', "  <ItemDefinitionGroup>",
              "    <ClCompile>", "      <WarningLevel>Level4</WarningLevel>", "      <CompileAs>CompileAsC</CompileAs>",
              "      <LanguageStandard_C>stdc11</LanguageStandard_C>",
              "      <AdditionalIncludeDirectories>$(ProjectDir)..;%(AdditionalIncludeDirectories)</AdditionalIncludeDirectories>",
              f"      <PreprocessorDefinitions>{DEFINES};%(PreprocessorDefinitions)</PreprocessorDefinitions>",
              "    </ClCompile>", "    <Link>",
              f"      <SubSystem>{'Windows' if kind == 'Windows' else 'Console'}</SubSystem>",
              f"      <AdditionalDependencies>{libraries};%(AdditionalDependencies)</AdditionalDependencies>"
              if libraries else "", "    </Link>", "  </ItemDefinitionGroup>", "  <ItemGroup>"]
    lines += [f'    <ClCompile Include="..\\{s.replace("/", chr(92))}" />' for s in sources]
    for s in excluded:
        lines += [f'    <ClCompile Include="..\\{s.replace("/", chr(92))}">',
                  "      <ExcludedFromBuild>true</ExcludedFromBuild>", "    </ClCompile>"]
    lines += ["  </ItemGroup>"]
    if extras:
        lines += ["  <ItemGroup>"] + [f'    <ResourceCompile Include="..\\{e.replace("/", chr(92))}" />'
                                      for e in extras] + ["  </ItemGroup>"]
    if references:
        lines += ["  <ItemGroup>"]
        for r in references:
            lines += [f'    <ProjectReference Include="{r}.vcxproj">', f"      <Project>{project_guid(r)}</Project>",
                      "    </ProjectReference>"]
        lines += ["  </ItemGroup>"]
    lines += ['  <Import Project="$(VCTargetsPath)\\Microsoft.Cpp.targets" />', "</Project>", ""]
    return "\r\n".join(l for l in lines if l != "")


def solution():
    c_project = "{8BC9CEB8-8B4A-11D0-8D11-00A0C91BC942}"
    lines = ["", "Microsoft Visual Studio Solution File, Format Version 12.00", "# Visual Studio Version 17",
             "VisualStudioVersion = 17.0.31903.59", "MinimumVisualStudioVersion = 10.0.40219.1"]
    for name, *_ in PROJECTS:
        lines += [f'Project("{c_project}") = "{name}", "vs\\{name}.vcxproj", "{project_guid(name)}"', "EndProject"]
    lines += ["Global", "\tGlobalSection(SolutionConfigurationPlatforms) = preSolution"]
    platforms = {"x64": "x64", "Win32": "x86"}
    for c, p in CONFIGS:
        lines.append(f"\t\t{c}|{platforms[p]} = {c}|{platforms[p]}")
    lines += ["\tEndGlobalSection", "\tGlobalSection(ProjectConfigurationPlatforms) = postSolution"]
    for name, *_ in PROJECTS:
        for c, p in CONFIGS:
            for what in ("ActiveCfg", "Build.0"):
                lines.append(f"\t\t{project_guid(name)}.{c}|{platforms[p]}.{what} = {c}|{p}")
    lines += ["\tEndGlobalSection", "EndGlobal", ""]
    return "\r\n".join(lines)


def generate():
    lists = source_lists()
    files = {"ProcessMemoryMap.sln": solution()}
    for name, kind, list_names, extras, refs, libs in PROJECTS:
        sources = [s for n in list_names for s in lists.get(n, [])]
        excluded = [s for n in NOT_BUILT_ON_WINDOWS for s in lists.get(n, [])] if name == "pmm_core" else []
        files[os.path.join("vs", f"{name}.vcxproj")] = vcxproj(name, kind, sources, extras, refs, libs, excluded)
    return files


def main():
    check = "--check" in sys.argv
    stale = []
    for path, text in generate().items():
        full = os.path.join(ROOT, path)
        current = open(full, newline="").read() if os.path.exists(full) else None
        if current != text:
            stale.append(path)
            if not check:
                os.makedirs(os.path.dirname(full), exist_ok=True)
                open(full, "w", newline="").write(text)
    if check and stale:
        print("out of date: " + ", ".join(stale) + " (run tools/gen_vs_projects.py)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
