import { Module } from '@nestjs/common';
import { ImportService } from './import.service';
import { ImportsController } from './imports.controller';

/** Imports of incident exports (servicenow, bpi2014, generic), from the command line or by upload. */
@Module({
  controllers: [ImportsController],
  providers: [ImportService],
  exports: [ImportService],
})
export class ImportsModule {}
