/*
 * stories.h - two short invented news stories the test suites share: a
 * central-bank rate decision (story_a) and a flood (story_b). Different
 * wording throughout, so they never match each other.
 */
#ifndef SYNDIC_TEST_STORIES_H
#define SYNDIC_TEST_STORIES_H

static const char *const story_a =
    "The central bank raised its main interest rate by a quarter point on Tuesday, "
    "the third increase this year, saying inflation in services remained stubborn "
    "even as goods prices cooled. Governor Ilse Marten told reporters the board had "
    "considered a larger move but judged that wage growth was already slowing. "
    "Markets had priced in the decision, and the currency barely moved after the "
    "announcement. Economists said the bank was likely to pause at its next meeting "
    "in June unless consumer prices surprised again.";
static const char *const story_b =
    "Heavy rain flooded the lower town of Villanova overnight, forcing about two "
    "hundred residents to leave their homes as the river rose more than three metres "
    "above its normal level. Firefighters used boats to reach families trapped on "
    "upper floors, and the regional government opened two school gyms as shelters. "
    "No injuries were reported, but the main road to the coast was closed and "
    "officials warned that more rain was expected on Thursday.";

#endif
