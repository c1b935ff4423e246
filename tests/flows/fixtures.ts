// A small charity bot used by the engine tests: main menu, an application with summary, a status check, a survey.
import type { Texts } from './helpers.ts';

export const MAIN = `
id: main
start: menu
steps:
  menu:
    kind: menu
    text: main.menu
    params: { charity: { profile: name } }
    choices:
      - { id: apply, label: main.apply, synonyms: main.apply_syn, flow: apply }
      - { id: status, label: main.status, flow: status }
      - { id: hidden, label: main.hidden, next: bye, when: { var: vip } }
      - { id: survey, label: main.survey, flow: survey }
      - { id: talk, label: main.talk, next: human }
  bye: { kind: end, text: main.bye, then: idle }
  human: { kind: handoff, text: main.human }
`;

export const APPLY = `
id: apply
start: ask_name
steps:
  ask_name: { kind: ask, text: apply.ask_name, validator: { type: text, min: 2 }, var: name, next: ask_id }
  ask_id:
    kind: ask
    text: apply.ask_id
    validator: { type: saudi_national_id }
    var: national_id
    retries: 2
    on_fail: officer
    next: ask_mobile
  ask_mobile:
    kind: ask
    text: apply.ask_mobile
    validator: { type: saudi_mobile }
    var: mobile
    offer: { var: contact.phone }
    next: ask_birth
  ask_birth: { kind: ask, text: apply.ask_birth, validator: { type: date, past: true }, var: birth, next: ask_family }
  ask_family: { kind: ask, text: apply.ask_family, validator: { type: number, min: 1, max: 20 }, var: family_size, next: ask_married }
  ask_married: { kind: ask, text: apply.ask_married, validator: { type: yes_no }, var: married, next: check }
  check:
    kind: branch
    cases:
      - { when: { var: married, equals: true }, next: ask_spouse }
    else: summary
  ask_spouse: { kind: ask, text: apply.ask_spouse, validator: { type: text }, var: spouse, next: summary }
  summary:
    kind: menu
    text: apply.summary
    params: { name: { var: name }, id: { var: national_id } }
    on_fail: menu
    choices:
      - { id: confirm, label: apply.confirm, next: submit }
      - { id: edit_name, label: apply.edit_name, params: { name: { var: name } }, edit: ask_name }
      - { id: edit_mobile, label: apply.edit_mobile, edit: ask_mobile }
  submit:
    kind: action
    name: submit_application
    args: { name: { var: name }, national_id: { var: national_id }, charity: { profile: name }, missing: { var: nope } }
    var: result
    next: done
    on_error: failed
  done: { kind: end, text: apply.done, params: { ref: { var: result.reference } } }
  failed: { kind: say, text: apply.failed, next: summary }
`;

export const STATUS = `
id: status
start: identify
steps:
  identify: { kind: call, flow: identify, next: lookup }
  lookup: { kind: action, name: find_application, args: { national_id: { var: national_id } }, var: found, next: show }
  show: { kind: end, text: status.show, params: { status: { var: found.status } }, then: idle }
`;

export const IDENTIFY = `
id: identify
start: ask_id
steps:
  ask_id: { kind: ask, text: identify.ask_id, validator: { type: saudi_national_id }, var: national_id, next: thanks }
  thanks: { kind: say, text: identify.thanks }
`;

export const SURVEY = `
id: survey
start: init
steps:
  init: { kind: set, values: { source: bot, meta.channel: { profile: channel_name } }, next: job }
  job:
    kind: ask
    text: survey.job
    var: job
    next: rate
    validator:
      type: choice
      choices:
        - { id: employee, label: survey.employee }
        - { id: unemployed, label: survey.unemployed }
  rate:
    kind: ask
    text: survey.rate
    var: rating
    next: thanks
    validator:
      type: choice
      choices:
        - { id: good, label: survey.good, synonyms: survey.good_syn }
        - { id: bad, label: survey.bad, next: why }
  why: { kind: ask, text: survey.why, validator: { type: text }, var: reason, next: thanks }
  thanks: { kind: goto, flow: main }
`;

const t = (ar: string, en: string): { ar: string; en: string } => ({ ar, en });

export const TEXTS: Texts = {
  'main.menu': t('أهلًا بك في {{charity}}، كيف نخدمك؟', 'Welcome to {{charity}}, how can we help?'),
  'main.apply': t('📝 تقديم طلب مساعدة', '📝 Apply for support'),
  'main.apply_syn': t('طلب|ابي مساعدة|أبغى مساعدة', 'apply|help request'),
  'main.status': t('الاستعلام عن طلب', 'Check my application'),
  'main.hidden': t('خيار خاص', 'Special option'),
  'main.survey': t('استبيان', 'Survey'),
  'main.talk': t('التحدث مع موظف', 'Talk to our staff'),
  'main.bye': t('شكرًا لك', 'Thank you'),
  'main.human': t('سيتواصل معك موظف', 'A staff member will contact you'),
  'apply.ask_name': t('ما اسمك الكامل؟', 'What is your full name?'),
  'apply.ask_id': t('ما رقم هويتك؟', 'What is your ID number?'),
  'apply.ask_mobile': t('ما رقم جوالك؟', 'What is your mobile number?'),
  'apply.ask_birth': t('ما تاريخ ميلادك؟', 'What is your date of birth?'),
  'apply.ask_family': t('كم عدد أفراد الأسرة؟', 'How many people are in your family?'),
  'apply.ask_married': t('هل أنت متزوج؟', 'Are you married?'),
  'apply.ask_spouse': t('ما اسم الزوج/الزوجة؟', "What is your spouse's name?"),
  'apply.summary': t('الاسم: {{name}}، الهوية: {{id}}', 'Name: {{name}}, ID: {{id}}'),
  'apply.confirm': t('تأكيد وإرسال', 'Confirm and send'),
  'apply.edit_name': t('تعديل الاسم ({{name}})', 'Edit name ({{name}})'),
  'apply.edit_mobile': t('تعديل الجوال', 'Edit mobile'),
  'apply.done': t('تم استلام طلبك برقم {{ref}}', 'Your request {{ref}} was received'),
  'apply.failed': t('تعذر الإرسال', 'Sending failed'),
  'status.show': t('حالة طلبك: {{status}}', 'Your request status: {{status}}'),
  'identify.ask_id': t('رقم الهوية؟', 'ID number?'),
  'identify.thanks': t('شكرًا', 'Thanks'),
  'survey.job': t('ما وضعك الوظيفي؟', 'What is your job status?'),
  'survey.employee': t('موظف', 'Employee'),
  'survey.unemployed': t('لا أعمل', 'Not working'),
  'survey.rate': t('كيف كانت الخدمة؟', 'How was the service?'),
  'survey.good': t('ممتازة', 'Great'),
  'survey.good_syn': t('حلوه|زينه|كويسه', 'good|nice'),
  'survey.bad': t('سيئة', 'Bad'),
  'survey.why': t('لماذا؟', 'Why?'),
};

export const ALL_FLOWS = [MAIN, APPLY, STATUS, IDENTIFY, SURVEY];
