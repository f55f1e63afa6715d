package volunteer

import "github.com/riverqueue/river"

// AddWorkers registers the volunteering jobs (shift generation, waitlist
// promotion, reminders, attendance auto-close, distribution runs); each
// part adds its own.
func AddWorkers(w *river.Workers, s *Service) {
	addShiftWorkers(w, s)
	addSignupWorkers(w, s)
	addAttendanceWorkers(w, s)
	addDistributeWorkers(w, s)
}
