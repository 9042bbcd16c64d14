"""A small synthetic phrase bank for demo notes: sentences a clinician might write, per section and
kind of service (pure data; `demo.note_content` picks and fills them deterministically).

All of it is invented for the demo: no real patient, no copied note. Placeholders are filled from
`FILLERS`: {n} a small count, {m} minutes, {pct} a percentage, {score} a 0-10 rating, {phq} a
PHQ-9 score, {mands} a count, {store}, {skill}, {trigger}, {place}, {caregiver}, {target}, {prompt}.
"""

from __future__ import annotations

from collections.abc import Mapping

THERAPY = "therapy"  # psychotherapy, assessment, counselling, crisis
ABA = "aba"  # applied behavior analysis and behavioral services
COMMUNITY = "community"  # skills training, rehabilitation, case management, peer support

FILLERS: Mapping[str, tuple[str, ...]] = {
    "n": ("two", "three", "four", "five"),
    "m": ("10", "15", "20", "25"),
    "pct": ("40", "55", "60", "70", "75", "80"),
    "score": ("3", "4", "5", "6", "7"),
    "phq": ("11", "14", "16", "19"),
    "mands": ("12", "15", "18", "22"),
    "skill": (
        "paced breathing",
        "the thought record",
        "a grounding exercise",
        "opposite action",
        "a behavioral experiment",
        "the coping card",
    ),
    "trigger": (
        "conflict at work",
        "an argument with a sibling",
        "poor sleep",
        "a missed deadline",
        "crowded places",
        "calls from a former partner",
    ),
    "place": ("the grocery store", "the bus", "the school office", "a family dinner", "the pharmacy"),
    "store": ("the grocery store", "the pharmacy", "the discount store"),
    "caregiver": ("mother", "father", "grandmother", "foster parent"),
    "target": (
        "manding for breaks",
        "waiting for a turn",
        "following two-step directions",
        "tolerating transitions",
    ),
    "prompt": ("gestural", "verbal", "model", "partial physical"),
}

BANK: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    THERAPY: {
        "session_focus": (
            "Reviewed the week's anxiety log and the situations the patient avoided.",
            "Focus was on the sleep routine and worry at bedtime that has kept the patient up past 1 a.m.",
            "Patient brought up {trigger}, which led to two days of low mood and skipped meals.",
            "Worked on the patient's goal of returning to {place} without leaving early.",
            "Followed up on the homework from last session and the obstacles the patient ran into.",
            "Explored the patient's hopelessness after {trigger} and what has helped in the past.",
            "Patient asked to spend the hour on the upcoming court date and how to manage the waiting.",
            "Session centred on grief around the anniversary of the father's death next month.",
            "Reviewed medication adherence and how the new schedule fits with night shifts.",
        ),
        "mental_status": (
            "Alert and oriented, casually dressed, good eye contact; speech normal in rate and volume.",
            "Mood described as 'tired but okay'; affect constricted, brightening when talking about family.",
            "Thought process linear and goal directed; no perceptual disturbances reported or observed.",
            "Mildly restless, picking at sleeve when discussing {trigger}; insight and judgment fair.",
            "Affect anxious at the start, calmer by the end of the session; memory and attention intact.",
            "Well groomed, cooperative, soft-spoken; denies hallucinations, no delusional content elicited.",
            "Appeared fatigued with slowed speech; mood 'flat', affect congruent; cognition grossly intact.",
        ),
        "risk_factors": (
            "Denies suicidal or homicidal ideation, intent or plan; no self-harm since the last visit.",
            "Passive thoughts of not waking up twice this week, no plan or intent; protective factors are "
            "the patient's children and faith community.",
            "No access to firearms confirmed with the patient; alcohol use down to weekends only.",
            "Risk assessed as low: no ideation, stable housing, engaged in treatment.",
            "Reports one urge to self-harm after {trigger}, used {skill} instead; no injury.",
            "Screened with the C-SSRS: negative since last contact.",
        ),
        "medical_necessity": (
            "Nightmares and hypervigilance keep the patient from sleeping more than four hours; "
            "trauma-focused treatment per the plan is indicated.",
            "Symptoms of the diagnosed disorder continue to limit work attendance and sleep; weekly "
            "psychotherapy is needed to reduce avoidance and prevent a higher level of care.",
            "PHQ-9 of {phq} and ongoing panic episodes impair daily functioning; treatment "
            "addresses the goals on the current treatment plan.",
            "Without continued treatment the patient is at risk of relapse, as after the last gap in care.",
            "Impairment persists at home and at work ({n} missed days this month); skills taught in "
            "session are not yet used independently.",
        ),
        "plan": (
            "Meet weekly; patient to practise {skill} daily and log urges before the next session.",
            "Next session: start a graded exposure list beginning with {place}.",
            "Coordinate with the prescriber about the sleep complaints; reassess PHQ-9 in two weeks.",
            "Homework: one pleasant activity each evening and a short note on mood before and after.",
            "Review the safety plan at the next visit and add the new coping contacts.",
            "Send the release of information to the primary care office before the next appointment.",
            "Move to every other week if the patient keeps the gains through the holidays.",
        ),
        "patient_response": (
            "Patient practised {skill} twice in session and rated anxiety down from {score} to 2 out of 10.",
            "Patient was tearful describing {trigger} but identified two alternative explanations without help.",
            "Patient said the breathing exercise 'actually worked on the bus' and agreed to try it at work.",
            "Patient was guarded at first, then described three situations this week of staying instead of leaving.",
            "Patient completed the thought record with some prompting and named the evidence against the worry.",
            "Patient engaged in role play of asking for help at work and said it felt awkward but possible.",
            "Patient laughed for the first time in weeks while recounting the weekend with a cousin.",
            "Patient disagreed with the homework at first, then rewrote it in their own words and committed to it.",
            "Patient reported sleeping through {n} nights and linked it to stopping screens after ten.",
        ),
        "progress": (
            "Panic episodes down from five to {n} a week since intake.",
            "Returned to work three days this week, up from one.",
            "Sleep improved to about six hours most nights; still wakes with worry twice a week.",
            "Uses {skill} without prompting about half the time, per self-report.",
            "GAD-7 down from 15 at intake to {score}.",
            "Attended the family gathering for an hour, which was on the avoidance list.",
            "Still avoiding driving on the highway; that is expected to ease once exposure work starts.",
        ),
        "safety_plan": (
            "Safety plan reviewed: warning signs, coping steps, two contacts and the 988 line; patient has a copy on the phone.",
            "Updated the safety plan with a new support contact; crisis numbers confirmed.",
            "Patient agreed to call the crisis line or go to the emergency department if thoughts become active.",
        ),
        "interventions_other": (
            "Psychoeducation on the anxiety cycle with a handout.",
            "Brief motivational interviewing about cutting down on energy drinks.",
            "Problem solving around transportation to appointments.",
        ),
        "caregiver_participation": (
            "The patient's {caregiver} joined for the last {m} minutes to plan support at home.",
            "Family members practised reflective listening with the therapist modelling.",
            "The {caregiver} described the evening routine and agreed to the new limits on screen time.",
        ),
    },
    ABA: {
        "session_focus": (
            "Direct treatment on the current skill acquisition targets and the transition protocol.",
            "Session at home focused on {target} and reducing elopement during transitions.",
            "Worked on the new mand targets added at the last protocol review.",
            "Natural environment teaching during snack and play, with probes on mastered targets.",
        ),
        "behavior_data": (
            "{target}: {pct}% independent across 20 trials at the {prompt} prompt level.",
            "Elopement: {n} episodes in 90 minutes, each under a minute; down from six last week.",
            "Aggression (hitting): 1 episode, blocked; preceded by a demand to stop play.",
            "Manding: {mands} independent mands, mostly for snacks and the tablet.",
            "Task analysis for hand washing: 7 of 10 steps independent.",
        ),
        "patient_response": (
            "Client transitioned from play to table work with a visual timer and one verbal prompt.",
            "Client cried for about two minutes when the tablet was removed, then returned to task with a first-then board.",
            "Client imitated the new sign for 'break' after two model prompts and used it later unprompted.",
            "Client stayed at the table for {m} minutes, the longest this month, and asked for help once.",
            "Client was sleepy after school; fewer trials completed, responding improved after a movement break.",
        ),
        "progress": (
            "{target} moved to the {prompt} prompt level this week.",
            "Two targets met mastery criteria and were moved to maintenance.",
            "Rate of elopement down by half over the last three sessions.",
        ),
        "plan": (
            "Continue the current targets; fade to {prompt} prompts when two sessions reach 80%.",
            "BCBA to review the transition data next week and adjust the reinforcement schedule.",
            "Probe the new targets on Thursday; send the {caregiver} the visual schedule.",
        ),
        "medical_necessity": (
            "Deficits in communication and adaptive skills from the autism diagnosis limit participation at "
            "school and home; intensive ABA per the current treatment plan remains necessary.",
            "Elopement remains a safety risk in the community; treatment targets it directly.",
        ),
        "interventions_other": (
            "Pairing and rapport building at the start of the session.",
            "Token economy with five tokens for a preferred break.",
        ),
        "caregiver_participation": (
            "The {caregiver} practised the first-then routine with coaching and feedback.",
            "Reviewed the week's data sheet with the {caregiver}, who reported fewer meltdowns at bedtime.",
            "Modelled the break request for the {caregiver}, who then ran three trials with fading prompts.",
        ),
    },
    COMMUNITY: {
        "session_focus": (
            "Met in the community to practise budgeting at {store}.",
            "Worked on the patient's goal of keeping appointments: bus schedule and phone reminders.",
            "Helped the patient complete the housing application and gather the documents.",
            "Peer session on coping with cravings, using the patient's own recovery experience.",
        ),
        "patient_response": (
            "Patient compared prices and stayed within the $40 budget with one reminder.",
            "Patient set up two phone reminders without help and read the bus schedule aloud correctly.",
            "Patient was frustrated by the paperwork but finished the form with step-by-step help.",
            "Patient shared that the urge to drink came after {trigger} and named two people to call next time.",
        ),
        "progress": (
            "Kept {n} of four scheduled appointments this month, up from one.",
            "Now shops for the week with a list; needed help with one item.",
            "Housing application submitted; waiting list confirmed.",
        ),
        "plan": (
            "Next visit: practise the pharmacy refill call; patient to bring the medication list.",
            "Check in by phone on Wednesday about the bus trip to the clinic.",
            "Follow up with the housing office in two weeks.",
        ),
        "medical_necessity": (
            "Functional deficits in daily living skills from the diagnosed disorder put housing and "
            "treatment attendance at risk; rehabilitation services address them.",
            "Without support the patient misses appointments and medication refills, leading to past hospitalisations.",
        ),
        "interventions_other": (
            "Role play of a phone call to the landlord.",
            "Linked the patient to the food pantry schedule.",
        ),
        "caregiver_participation": (
            "The patient's {caregiver} joined by phone to agree the weekly schedule.",
        ),
    },
}
