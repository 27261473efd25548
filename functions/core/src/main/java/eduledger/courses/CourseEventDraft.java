package eduledger.courses;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A course event a change implies, before it is given an id and written for an integration.
 *
 * @param courseId      the course the event is about (for copied_to / reset_to: the other course)
 * @param otherCourseId the course a copy or reset links to; null for the other types
 */
public record CourseEventDraft(String courseId, CourseEventType type, ObjectNode data, String otherCourseId) {}
