/*:
 # Day 6 is coming

 This lesson is not written yet. See the course README for the plan.
 */
import Course

_ = Lesson.start(day: 6, about: "initialization: orthogonal, Xavier, forget-gate bias, initial states (coming soon)")
print("Day 6 is coming soon: see README.md for the course plan.")
