/* Small modal dialogs: what the scan could not read, and About. */
#ifndef PMM_GUI_INFO_DIALOGS_H
#define PMM_GUI_INFO_DIALOGS_H

#include <windows.h>
#include "core/model/map.h"

void warnings_dialog_run(HWND owner, const pmm_map *map);
void about_dialog_run(HWND owner);

#endif
