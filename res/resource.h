/* Resource identifiers shared by ProcessMemoryMap.rc and app/gui. */
#ifndef PMM_RESOURCE_H
#define PMM_RESOURCE_H

#ifndef IDC_STATIC
#define IDC_STATIC              (-1)
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

#endif
