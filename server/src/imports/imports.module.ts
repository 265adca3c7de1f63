import { Module } from '@nestjs/common';
import { ImportService } from './import.service';

/** Imports of incident exports (servicenow, bpi2014, generic), from the command line or by upload. */
@Module({
  providers: [ImportService],
  exports: [ImportService],
})
export class ImportsModule {}
