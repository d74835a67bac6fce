#include "activity.h"
// Implementation in progress (helper).
