"""Every rule as a programs.rules.Rule that names its field and message, names ordered
without regard to case (with the index that serves it, replacing 0003's case-sensitive one),
and length of training allowed to be unknown."""

import django.db.models.functions.text
import programs.rules
from django.db import migrations, models


def drop_case_sensitive_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS program_name_order")


def restore_case_sensitive_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS program_name_order ON programs_program (name, acgme_id)"
        )


class Migration(migrations.Migration):

    dependencies = [
        ('programs', '0004_policy_numbers_not_null'),
    ]

    operations = [
        migrations.RunPython(
            drop_case_sensitive_name_index, restore_case_sensitive_name_index, elidable=False
        ),
        migrations.AlterModelOptions(
            name='faqentry',
            options={'ordering': ['topic', 'order', django.db.models.functions.text.Lower('question'), 'slug'], 'verbose_name': 'FAQ entry', 'verbose_name_plural': 'FAQ entries'},
        ),
        migrations.AlterModelOptions(
            name='guide',
            options={'ordering': ['order', django.db.models.functions.text.Lower('title'), 'slug']},
        ),
        migrations.AlterModelOptions(
            name='outdatedreport',
            options={'ordering': ['-created_at', '-id']},
        ),
        migrations.AlterModelOptions(
            name='program',
            options={'ordering': [django.db.models.functions.text.Lower('name'), 'acgme_id']},
        ),
        migrations.AlterModelOptions(
            name='specialty',
            options={'ordering': [django.db.models.functions.text.Lower('name'), 'code'], 'verbose_name_plural': 'specialties'},
        ),
        migrations.AlterModelOptions(
            name='sponsor',
            options={'ordering': [django.db.models.functions.text.Lower('name'), 'code']},
        ),
        migrations.RemoveConstraint(
            model_name='faqentry',
            name='faq_question_and_answer_not_blank',
        ),
        migrations.RemoveConstraint(
            model_name='guide',
            name='guide_title_and_body_not_blank',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_acgme_id_ten_digits',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_state_is_usps_code',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_zip_code_format',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_name_not_blank',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_length_1_to_10',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_accreditation_dates_in_order',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_year1_positions_plausible',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_required_letters_0_to_10',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_comlex_minimum_in_range_and_accepted',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_h1b_note_only_when_not_refused',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_visa_implies_not_refusing_imgs',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_step2_minimum_matches_policy',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_graduation_limit_matches_policy',
        ),
        migrations.RemoveConstraint(
            model_name='program',
            name='program_usce_months_match_policy',
        ),
        migrations.RemoveConstraint(
            model_name='programseasondates',
            name='program_dates_open_before_deadline',
        ),
        migrations.RemoveConstraint(
            model_name='programseasondates',
            name='program_dates_interviews_in_order',
        ),
        migrations.RemoveConstraint(
            model_name='season',
            name='season_match_year_plausible',
        ),
        migrations.RemoveConstraint(
            model_name='season',
            name='season_dates_in_order',
        ),
        migrations.RemoveConstraint(
            model_name='specialty',
            name='specialty_code_three_digits',
        ),
        migrations.RemoveConstraint(
            model_name='specialty',
            name='specialty_only_fellowships_have_parent',
        ),
        migrations.RemoveConstraint(
            model_name='specialty',
            name='specialty_length_1_to_10',
        ),
        migrations.RemoveConstraint(
            model_name='specialtystatistic',
            name='statistic_percent_filled_0_to_100',
        ),
        migrations.RemoveConstraint(
            model_name='specialtystatistic',
            name='statistic_year_plausible',
        ),
        migrations.RemoveConstraint(
            model_name='specialtystatistic',
            name='statistic_step2_us_md_in_range',
        ),
        migrations.RemoveConstraint(
            model_name='specialtystatistic',
            name='statistic_step2_non_us_img_in_range',
        ),
        migrations.RemoveConstraint(
            model_name='specialtystatistic',
            name='statistic_matched_not_above_offered',
        ),
        migrations.RemoveConstraint(
            model_name='sponsor',
            name='sponsor_code_six_digits',
        ),
        migrations.AlterField(
            model_name='historicalprogram',
            name='length_years',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='length of training (years)'),
        ),
        migrations.AlterField(
            model_name='program',
            name='length_years',
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name='length of training (years)'),
        ),
        migrations.AddIndex(
            model_name='program',
            index=models.Index(django.db.models.functions.text.Lower('name'), models.F('acgme_id'), name='program_lower_name_order'),
        ),
        migrations.AddConstraint(
            model_name='faqentry',
            constraint=programs.rules.Rule(condition=models.Q(('question__regex', '\\S')), field='question', name='faq_question_not_blank', violation_error_message='An entry needs its question.'),
        ),
        migrations.AddConstraint(
            model_name='faqentry',
            constraint=programs.rules.Rule(condition=models.Q(('answer__regex', '\\S')), field='answer', name='faq_answer_not_blank', violation_error_message='An entry needs its answer.'),
        ),
        migrations.AddConstraint(
            model_name='guide',
            constraint=programs.rules.Rule(condition=models.Q(('title__regex', '\\S')), field='title', name='guide_title_not_blank', violation_error_message='A guide needs a title.'),
        ),
        migrations.AddConstraint(
            model_name='guide',
            constraint=programs.rules.Rule(condition=models.Q(('body__regex', '\\S')), field='body', name='guide_body_not_blank', violation_error_message='A guide needs a body.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('acgme_id__regex', '^[0-9]{10}$')), field='acgme_id', name='program_acgme_id_ten_digits', violation_error_message='An ACGME ID is 10 digits.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('state__in', ['AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME', 'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'PR', 'GU', 'VI', 'AS', 'MP'])), field='state', name='program_state_is_usps_code', violation_error_message='Use a USPS state or territory code, e.g. NY, DC or PR.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('zip_code', ''), ('zip_code__regex', '^[0-9]{5}(-[0-9]{4})?$'), _connector='OR'), field='zip_code', name='program_zip_code_format', violation_error_message='A ZIP code reads 12345 or 12345-6789.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('name__regex', '\\S')), field='name', name='program_name_not_blank', violation_error_message='A program needs a name.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('length_years__isnull', True), ('length_years__range', (1, 10)), _connector='OR'), field='length_years', name='program_length_1_to_10', violation_error_message='Training lasts 1 to 10 years.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('originally_accredited_on__isnull', True), ('accreditation_effective_on__isnull', True), ('originally_accredited_on__lte', models.F('accreditation_effective_on')), _connector='OR'), field='originally_accredited_on', name='program_accreditation_dates_in_order', violation_error_message='The original accreditation date must not be after the effective date.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('year1_positions__isnull', True), ('year1_positions__lte', 500), _connector='OR'), field='year1_positions', name='program_year1_positions_plausible', violation_error_message='A program has at most 500 year-1 positions.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('required_letters__isnull', True), ('required_letters__lte', 10), _connector='OR'), field='required_letters', name='program_required_letters_0_to_10', violation_error_message='A program asks for 0 to 10 letters.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(models.Q(('step2_policy__in', ['hard', 'preferred']), ('step2_minimum__isnull', False), ('step2_minimum__range', (1, 300))), models.Q(('step2_policy__in', ['none', 'unknown']), ('step2_minimum__isnull', True)), _connector='OR'), field='step2_minimum', name='program_step2_minimum_matches_policy', violation_error_message='A hard cutoff or a preferred minimum needs its Step 2 CK score (1 to 300); “No minimum” and “Not reported” take none.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('comlex_minimum__isnull', True), ('comlex_minimum__range', (9, 999)), _connector='OR'), field='comlex_minimum', name='program_comlex_minimum_in_range', violation_error_message='A COMLEX Level 2 minimum is 9 to 999.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('comlex_minimum__isnull', True), models.Q(('comlex_accepted', 'no'), _negated=True), _connector='OR'), field='comlex_minimum', name='program_comlex_minimum_only_when_accepted', violation_error_message='A COMLEX Level 2 minimum cannot go with “COMLEX Level 2 accepted: No”.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(models.Q(('graduation_policy', 'limit'), ('max_years_since_graduation__isnull', False), ('max_years_since_graduation__range', (0, 60))), models.Q(models.Q(('graduation_policy', 'limit'), _negated=True), ('max_years_since_graduation__isnull', True)), _connector='OR'), field='max_years_since_graduation', name='program_graduation_limit_matches_policy', violation_error_message='“Limit in years” needs the number of years (0 to 60); other answers take none.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(models.Q(('usce_policy', 'required'), ('usce_months__isnull', False), ('usce_months__range', (1, 60))), models.Q(('usce_policy', 'preferred'), ('usce_months__isnull', True)), models.Q(('usce_policy', 'preferred'), ('usce_months__range', (1, 60))), models.Q(('usce_policy__in', ['not_required', 'unknown']), ('usce_months__isnull', True)), _connector='OR'), field='usce_months', name='program_usce_months_match_policy', violation_error_message='Required US clinical experience needs its months (1 to 60), preferred may give them; “Not required” and “Not reported” take none.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(('h1b_note', ''), models.Q(('sponsors_h1b', 'no'), _negated=True), _connector='OR'), field='h1b_note', name='program_h1b_note_only_when_not_refused', violation_error_message='H-1B conditions cannot go with “H-1B: No”.'),
        ),
        migrations.AddConstraint(
            model_name='program',
            constraint=programs.rules.Rule(condition=models.Q(models.Q(models.Q(('sponsors_j1', 'yes'), _negated=True), models.Q(('sponsors_h1b', 'yes'), _negated=True)), models.Q(('accepts_imgs', 'no'), _negated=True), _connector='OR'), field='accepts_imgs', name='program_visa_implies_not_refusing_imgs', violation_error_message='A program that sponsors a visa cannot be marked as refusing IMGs.'),
        ),
        migrations.AddConstraint(
            model_name='programseasondates',
            constraint=programs.rules.Rule(condition=models.Q(('applications_open__isnull', True), ('application_deadline__isnull', True), ('applications_open__lte', models.F('application_deadline')), _connector='OR'), field='application_deadline', name='program_dates_open_before_deadline', violation_error_message='The deadline must not be before applications open.'),
        ),
        migrations.AddConstraint(
            model_name='programseasondates',
            constraint=programs.rules.Rule(condition=models.Q(('interviews_start__isnull', True), ('interviews_end__isnull', True), ('interviews_start__lte', models.F('interviews_end')), _connector='OR'), field='interviews_end', name='program_dates_interviews_in_order', violation_error_message='Interviews must not end before they start.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('match_year__range', (2000, 2100))), field='match_year', name='season_match_year_plausible', violation_error_message='A Match year is between 2000 and 2100.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('eras_opens__lte', models.F('applicants_submit'))), field='applicants_submit', name='season_applicants_submit_not_before_eras_opens', violation_error_message='Applicants may submit must not be before ERAS opens.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('applicants_submit__lte', models.F('programs_review'))), field='programs_review', name='season_programs_review_not_before_applicants_submit', violation_error_message='Programs may review applications must not be before Applicants may submit.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('programs_review__lte', models.F('rank_list_deadline'))), field='rank_list_deadline', name='season_rank_list_deadline_not_before_programs_review', violation_error_message='Rank order list deadline must not be before Programs may review applications.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('nrmp_registration__lte', models.F('rank_list_deadline'))), field='rank_list_deadline', name='season_rank_list_deadline_not_before_nrmp_registration', violation_error_message='Rank order list deadline must not be before NRMP registration opens.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('rank_list_deadline__lte', models.F('match_day'))), field='match_day', name='season_match_day_not_before_rank_list_deadline', violation_error_message='Match Day must not be before Rank order list deadline.'),
        ),
        migrations.AddConstraint(
            model_name='season',
            constraint=programs.rules.Rule(condition=models.Q(('match_day__lte', models.F('training_starts'))), field='training_starts', name='season_training_starts_not_before_match_day', violation_error_message='Training starts must not be before Match Day.'),
        ),
        migrations.AddConstraint(
            model_name='specialty',
            constraint=programs.rules.Rule(condition=models.Q(('code__regex', '^[0-9]{3}$')), field='code', name='specialty_code_three_digits', violation_error_message='An ACGME specialty code is three digits, e.g. 140.'),
        ),
        migrations.AddConstraint(
            model_name='specialty',
            constraint=programs.rules.Rule(condition=models.Q(('level', 'fellowship'), ('parent__isnull', True), _connector='OR'), field='parent', name='specialty_only_fellowships_have_parent', violation_error_message='Only a fellowship has a parent specialty.'),
        ),
        migrations.AddConstraint(
            model_name='specialty',
            constraint=programs.rules.Rule(condition=models.Q(('typical_length_years__isnull', True), ('typical_length_years__range', (1, 10)), _connector='OR'), field='typical_length_years', name='specialty_length_1_to_10', violation_error_message='The typical length is 1 to 10 years.'),
        ),
        migrations.AddConstraint(
            model_name='specialtystatistic',
            constraint=programs.rules.Rule(condition=models.Q(('percent_filled__isnull', True), ('percent_filled__range', (0, 100)), _connector='OR'), field='percent_filled', name='statistic_percent_filled_0_to_100', violation_error_message='A share filled is 0 to 100 percent.'),
        ),
        migrations.AddConstraint(
            model_name='specialtystatistic',
            constraint=programs.rules.Rule(condition=models.Q(('year__range', (1952, 2100))), field='year', name='statistic_year_plausible', violation_error_message='The Match has run since 1952.'),
        ),
        migrations.AddConstraint(
            model_name='specialtystatistic',
            constraint=programs.rules.Rule(condition=models.Q(('step2_median_us_md__isnull', True), ('step2_median_us_md__range', (1, 300)), _connector='OR'), field='step2_median_us_md', name='statistic_step2_us_md_in_range', violation_error_message='Step 2 CK scores run from 1 to 300.'),
        ),
        migrations.AddConstraint(
            model_name='specialtystatistic',
            constraint=programs.rules.Rule(condition=models.Q(('step2_median_non_us_img__isnull', True), ('step2_median_non_us_img__range', (1, 300)), _connector='OR'), field='step2_median_non_us_img', name='statistic_step2_non_us_img_in_range', violation_error_message='Step 2 CK scores run from 1 to 300.'),
        ),
        migrations.AddConstraint(
            model_name='specialtystatistic',
            constraint=programs.rules.Rule(condition=models.Q(('matched_total__isnull', True), ('positions_offered__isnull', True), ('matched_total__lte', models.F('positions_offered')), _connector='OR'), field='matched_total', name='statistic_matched_not_above_offered', violation_error_message='More matches than positions offered.'),
        ),
        migrations.AddConstraint(
            model_name='sponsor',
            constraint=programs.rules.Rule(condition=models.Q(('code__regex', '^[0-9]{6}$')), field='code', name='sponsor_code_six_digits', violation_error_message='An ACGME sponsor code is six digits.'),
        ),
        migrations.AlterConstraint(
            model_name='programseasondates',
            name='one_dates_row_per_season',
            constraint=models.UniqueConstraint(fields=('program', 'season'), name='one_dates_row_per_season', violation_error_message='This program already has dates for that season.'),
        ),
        migrations.AlterConstraint(
            model_name='season',
            name='one_current_season',
            constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('is_current',), name='one_current_season', violation_error_code='unique', violation_error_message='Another season is current; untick it there first.'),
        ),
    ]
