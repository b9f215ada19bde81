"""The progress picture of a stage (issue 16): its leerdoelen reached over time (the stageplan) and the werkprocessen
scored at the tussenbeoordeling (the beoordelingen), as server-rendered svg with a table beside it. It lives here,
above both chapters it draws from; the overview in leerbedrijf links to it through the stage's sections."""
