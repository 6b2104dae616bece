// Wire types for the CodeView HTTP API, mirroring docs/api.md exactly (snake_case as sent).
// Keep this file free of logic: it is the one place to update when the server's shapes change.

export type Uuid = string;
/** RFC 3339 timestamp in UTC. */
export type Timestamp = string;

export const LANGUAGES = [
  'python',
  'javascript',
  'typescript',
  'java',
  'c',
  'cpp',
  'rust',
  'go',
] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_LABELS: Record<Language, string> = {
  python: 'Python',
  javascript: 'JavaScript',
  typescript: 'TypeScript',
  java: 'Java',
  c: 'C',
  cpp: 'C++',
  rust: 'Rust',
  go: 'Go',
};

export interface User {
  id: Uuid;
  email: string;
  name: string;
  created_at: Timestamp;
}

export interface CandidateIdentity {
  interview_id: Uuid;
  name: string;
}

/** `GET /api/auth/me`: an account session, or a candidate session (no account). */
export interface MeResponse {
  user: User | null;
  candidate?: CandidateIdentity | null;
}

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export interface TestCase {
  id: Uuid;
  input: string;
  expected_output: string;
  hidden: boolean;
}

export interface Question {
  id: Uuid;
  title: string;
  prompt: string;
  difficulty: Difficulty;
  category: string;
  tags: string[];
  starter_code: Partial<Record<Language, string>>;
  test_cases: TestCase[];
  /** How many test cases are hidden (candidates and observers only receive the visible ones). */
  hidden_test_count?: number;
  /** Starter-library questions are read-only (PATCH/DELETE → 403 `builtin_question`). */
  builtin: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A test case as sent: existing cases keep their `id` when edited, new ones have none. */
export interface TestCaseInput {
  id?: Uuid;
  input: string;
  expected_output: string;
  hidden: boolean;
}

export interface QuestionInput {
  title: string;
  prompt: string;
  difficulty: Difficulty;
  category: string;
  tags?: string[];
  starter_code?: Partial<Record<Language, string>>;
  test_cases?: TestCaseInput[];
}

export interface QuestionFilters {
  difficulty?: Difficulty | '';
  category?: string;
  tag?: string;
  q?: string;
}

export interface Category {
  name: string;
  count: number;
}

export const INTERVIEW_STATUSES = ['scheduled', 'live', 'ended'] as const;
export type InterviewStatus = (typeof INTERVIEW_STATUSES)[number];

export type Role = 'host' | 'interviewer' | 'observer' | 'candidate';
export type InvitableRole = 'interviewer' | 'observer';

export interface Interview {
  id: Uuid;
  title: string;
  status: InterviewStatus;
  room_code: string;
  language: Language | null;
  scheduled_at: Timestamp | null;
  duration_minutes: number | null;
  question_ids: Uuid[];
  candidate_name: string | null;
  candidate_email: string | null;
  created_by: Uuid;
  created_at: Timestamp;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
  my_role: Role | null;
}

export interface InterviewInput {
  title: string;
  scheduled_at?: Timestamp | null;
  duration_minutes?: number | null;
  language?: Language | null;
  question_ids?: Uuid[];
  candidate_name?: string | null;
  candidate_email?: string | null;
}

export interface Participant {
  id: Uuid;
  user_id: Uuid | null;
  name: string;
  email: string | null;
  role: Role;
}

export interface InterviewDetail {
  interview: Interview;
  participants: Participant[];
  questions: Question[];
  candidate_invite_url?: string;
}

export interface CreatedInterview {
  interview: Interview;
  candidate_invite_url: string;
}

/** `GET /api/interviews/room/{code}?invite=…`: what the holder of an invite link may see. */
export interface RoomInfo {
  interview_id: Uuid;
  title: string;
  status: InterviewStatus;
  room_code: string;
  scheduled_at: Timestamp | null;
  duration_minutes?: number | null;
  candidate_name?: string | null;
}

export interface JoinResult {
  interview: Interview;
  participant: Participant;
}
