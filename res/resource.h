/* Resource identifiers shared by ProcessMemoryMap.rc and app/gui. */
#ifndef PMM_RESOURCE_H
#define PMM_RESOURCE_H

#ifndef IDC_STATIC
#define IDC_STATIC              (-1)
/* Graphs and the Fragmentation view (600-619 controls, 1200-1219 commands). */
#define IDC_GRAPHS              600
#define IDC_FRAGMENTATION       601
#define IDC_FRAGMENTATION_STATUS 602
#define ID_VIEW_FRAGMENTATION   1200

#endif

#define IDI_APP                 1

#define IDR_MAIN_MENU           100
#define IDR_MAIN_ACCEL          101

#define IDD_PROCESS             200
#define IDC_PROCESS_FILTER      201
#define IDC_PROCESS_LIST        202
#define IDC_PROCESS_REFRESH     203
#define IDC_PROCESS_COUNT       204

#define IDD_WARNINGS            210
#define IDC_WARNINGS_TEXT       211

#define IDD_ABOUT               220
#define IDC_ABOUT_ICON          221
#define IDC_ABOUT_VERSION       222

#define IDD_GOTO                230
#define IDC_GOTO_TEXT           231
#define IDC_GOTO_ERROR          232

#define IDD_PROPERTIES          240
#define IDC_PROPERTIES_LIST     241
#define IDC_PROPERTIES_COPY     242

/* Children of the exports window. */
#define IDC_EXPORTS_FIND        250
#define IDC_EXPORTS_RESULT      251
#define IDC_EXPORTS_LIST        252

/* Menus that pop up over a control. */
#define IDR_ROW_MENU            110

/* Child windows of the main window. */
#define IDC_SUMMARY             300
#define IDC_REGIONS             301
#define IDC_STATUS              302
#define IDC_PROGRESS            303
#define IDC_TARGET              304
#define IDC_HEX                 305
#define IDC_SPLITTER            306
#define IDC_CANCEL_SCAN         307

/* Menu and accelerator commands. */
#define ID_FILE_SELECT_PROCESS  1001
#define ID_FILE_REFRESH         1002
#define ID_FILE_EXIT            1003
#define ID_FILE_OPEN_DUMP       1004
#define ID_FILE_EXPORT_CSV      1005
#define ID_FILE_CANCEL_SCAN     1006
#define ID_EDIT_COPY            1010
#define ID_EDIT_SELECT_ALL      1011
#define ID_EDIT_COPY_ADDRESS    1012
#define ID_EDIT_GOTO            1013
#define ID_EDIT_PROPERTIES      1014
#define ID_VIEW_HEX             1025
#define ID_VIEW_EXPORTS         1026
#define ID_VIEW_CLEAR_CHANGES   1027
#define ID_VIEW_EXPAND_ALL      1020
#define ID_VIEW_COLLAPSE_ALL    1021
#define ID_VIEW_SHOW_FREE       1022
#define ID_VIEW_ALL_TYPES       1023
#define ID_VIEW_WARNINGS        1024
#define ID_HELP_ABOUT           1030

/* Search, strings, call stacks and the structure view (400-499 controls, 1100-1149 commands). */
#define IDC_SEARCH_KIND         400
#define IDC_SEARCH_TEXT         401
#define IDC_SEARCH_IGNORE_CASE  402
#define IDC_SEARCH_SIGNED       403
#define IDC_SEARCH_MAX          404
#define IDC_SEARCH_START        405
#define IDC_SEARCH_CANCEL       406
#define IDC_SEARCH_PROGRESS     407
#define IDC_SEARCH_STATUS       408
#define IDC_SEARCH_RESULTS      409
#define IDC_SEARCH_SCOPE_FIRST  410   /* to 414: scope_controls.h */
#define IDC_SEARCH_MORE         416
#define IDC_STRINGS_MIN         430
#define IDC_STRINGS_ANSI        431
#define IDC_STRINGS_UTF16       432
#define IDC_STRINGS_MAX         433
#define IDC_STRINGS_START       434
#define IDC_STRINGS_CANCEL      435
#define IDC_STRINGS_PROGRESS    436
#define IDC_STRINGS_STATUS      437
#define IDC_STRINGS_RESULTS     438
#define IDC_STRINGS_FILTER      439
#define IDC_STRINGS_SCOPE_FIRST 440   /* to 444 */
#define IDC_STACKS_TREE         460
#define IDC_STACKS_STATUS       461
#define IDC_FINDINGS_LIST       462
#define IDC_FINDINGS_STATUS     463
#define IDC_STRUCT_VIEW         470
#define IDC_DETAILS_TABS        471
#define IDC_DISASM_VIEW         472
#define ID_SEARCH_FIND          1100
#define ID_SEARCH_STRINGS       1101
#define ID_VIEW_CALL_STACKS     1102
#define ID_VIEW_DETAILS_HEX     1103
#define ID_VIEW_DETAILS_STRUCT  1104
#define ID_VIEW_DETAILS_TOGGLE  1105
#define ID_VIEW_FOLLOW_POINTER  1106   /* posted by the structure view: go to details_follow */
#define ID_VIEW_DETAILS_DISASM  1107
#define ID_VIEW_INTEGRITY       1108
#define ID_VIEW_INTEGRITY_SCAN  1109   /* the Integrity window's F5: scan again with the integrity scan */

/* Saved maps, comparison and dumps (500-599 dialogs and controls, 1150-1199 commands). */
#define IDD_TASK_PROGRESS       500
#define IDC_TASK_TEXT           501
#define IDC_TASK_BAR            502
#define IDD_DUMP                510
#define IDC_DUMP_FORMAT         511
#define IDC_DUMP_PATH           512
#define IDC_DUMP_BROWSE         513
#define IDC_DUMP_SELECTION      514
#define IDC_DUMP_ALL            515
#define IDC_DUMP_FLAGS          516
#define IDC_DUMP_FLAGS_LABEL    517
#define IDC_DUMP_PAGES          518
#define IDC_DUMP_HINT           519
#define IDC_DUMP_DEBUG          520
#define IDC_COMPARE_SUMMARY     530
#define IDC_COMPARE_LIST        531
#define ID_FILE_SAVE_MAP        1150
#define ID_FILE_COMPARE_SAVED   1151
#define ID_FILE_COMPARE_TWO     1152
#define ID_FILE_DUMP_REGIONS    1153
#define ID_FILE_WRITE_MINIDUMP  1154
#define ID_FILE_SAVE_MAP_SUMS   1155

/* Graphs and the Fragmentation view (600-619 controls, 1200-1219 commands). */
#define IDC_GRAPHS              600
#define IDC_FRAGMENTATION       601
#define IDC_FRAGMENTATION_STATUS 602
#define ID_VIEW_FRAGMENTATION   1200

/* Symbols (620-629 dialogs and controls, 1220-1229 commands). */
#define ID_OPTIONS_SYMBOL_PATH  1220

/* The hex view's selection, find and go to offset, and the explorer's options (issue 21:
 * 700-799 dialogs and controls, 1250-1299 commands). */
#define IDD_HEX_FIND            700
#define IDC_HEXFIND_WHAT        701
#define IDC_HEXFIND_TEXT        702
#define IDC_HEXFIND_NOCASE      703
#define IDC_HEXFIND_UTF16       704
#define IDC_HEXFIND_HEX         705
#define IDC_HEXFIND_ERROR       706
#define IDD_HEX_GOTO            710
#define IDC_HEXGOTO_LABEL       711
#define IDC_HEXGOTO_OFFSET      712
#define IDC_HEXGOTO_ERROR       713
#define ID_HEX_COPY_HEX         1250
#define ID_HEX_COPY_TEXT        1251
#define ID_HEX_COPY_C_ARRAY     1252
#define ID_HEX_SELECT_ALL       1253
#define ID_HEX_FIND             1254
#define ID_HEX_FIND_NEXT        1255
#define ID_HEX_GOTO_OFFSET      1256
#define ID_HEX_BIG_ENDIAN       1257
#define IDD_OPTIONS             720
#define IDC_OPTIONS_SYMBOLS     721
#define IDC_OPTIONS_DUMP_FOLDER 722
#define IDC_OPTIONS_DUMP_BROWSE 723
#define IDC_OPTIONS_HEX_POINTS  724
#define IDC_OPTIONS_HEX_POINTS_SPIN 725
#define IDC_OPTIONS_RESET_LAYOUT 726
#define ID_OPTIONS_OPTIONS      1260

#endif
