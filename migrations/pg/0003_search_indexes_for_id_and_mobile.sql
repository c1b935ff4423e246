CREATE INDEX "applications_mobile" ON "applications" USING btree ("mobile");--> statement-breakpoint
CREATE INDEX "contact_identities_address" ON "contact_identities" USING btree ("address");--> statement-breakpoint
CREATE INDEX "contacts_phone" ON "contacts" USING btree ("phone");--> statement-breakpoint
CREATE INDEX "contacts_national_id" ON "contacts" USING btree ("national_id");