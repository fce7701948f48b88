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

/* Child windows of the main window. */
#define IDC_SUMMARY             300
#define IDC_REGIONS             301
#define IDC_STATUS              302
#define IDC_PROGRESS            303
#define IDC_TARGET              304

/* Menu and accelerator commands. */
#define ID_FILE_SELECT_PROCESS  1001
#define ID_FILE_REFRESH         1002
#define ID_FILE_EXIT            1003
#define ID_EDIT_COPY            1010
#define ID_EDIT_SELECT_ALL      1011
#define ID_VIEW_EXPAND_ALL      1020
#define ID_VIEW_COLLAPSE_ALL    1021
#define ID_VIEW_SHOW_FREE       1022
#define ID_VIEW_ALL_TYPES       1023
#define ID_VIEW_WARNINGS        1024
#define ID_HELP_ABOUT           1030

#endif
